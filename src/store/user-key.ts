/**
 * Channel user ids (phone numbers, Slack ids) are personal data: the store only ever sees a
 * keyed hash of them. The key comes from `CABILDO_SECRET`, or is generated once and kept
 * beside the store file, readable by its owner only.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

export type UserKeyer = (channel: string, userId: string) => string;

export function createUserKeyer(secret: string): UserKeyer {
  return (channel, userId) => createHmac('sha256', secret).update(`${channel}\u0000${userId}`).digest('base64url').slice(0, 32);
}

/** Reads the secret kept at `file`, creating it on first use. */
export function loadOrCreateSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  // `wx`: if two processes race to create it, the loser fails instead of replacing the key.
  writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
