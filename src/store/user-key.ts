/**
 * Channel user ids (phone numbers, Slack ids) are personal data: the store only ever sees a
 * keyed hash of them. The key comes from `CABILDO_SECRET`, or is generated once and kept
 * beside the store file, readable by its owner only.
 *
 * The one thing the store must read back is where to write to a person on a channel that can
 * write first (WhatsApp's phone number or business-scoped id, for a notice after a restart):
 * that is sealed with AES-256-GCM under a key derived from the same secret, so the store alone
 * reveals nothing.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface UserKeyer {
  /** The keyed hash that stands for a channel user. */
  (channel: string, userId: string): string;
  /** `plain` encrypted and authenticated (`s1.<iv>.<tag>.<ciphertext>`, base64url), a new nonce each time. */
  seal(plain: string): string;
  /** What `seal` sealed with the same secret; undefined for anything else (another key, a changed byte). */
  unseal(sealed: string): string | undefined;
}

export function createUserKeyer(secret: string): UserKeyer {
  const keyer = (channel: string, userId: string) => createHmac('sha256', secret).update(`${channel}\u0000${userId}`).digest('base64url').slice(0, 32);
  // A key of its own for sealing, derived so that neither use can stand in for the other.
  const sealKey = createHmac('sha256', secret).update('cabildo-seal-v1').digest();
  return Object.assign(keyer, {
    seal(plain: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['s1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    unseal(sealed: string): string | undefined {
      const [v, iv, tag, data] = sealed.split('.');
      if (v !== 's1' || iv === undefined || tag === undefined || data === undefined) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', sealKey, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  });
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
