/**
 * Meta signs each webhook body with the app secret: `X-Hub-Signature-256: sha256=<hex HMAC>`.
 * Checked over the raw bytes, with a constant-time compare so the check leaks no timing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function validSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  const given = Buffer.from(header.slice(7), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
