/**
 * Trained weights kept on disk between starts. Training is deterministic, so the weights for the
 * same examples, features and training code are always the same: a restart (a deploy, a crash,
 * a second instance) can read them instead of spending a third of a second of CPU to learn them
 * again. Whatever goes wrong here (no folder, no permission, a damaged file) only means training.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ModelCache {
  /** The bytes stored under `key`, when they are there and intact. */
  read(key: string): Uint8Array | undefined;
  /** Stores `data` under `key`, replacing what was stored under other keys. */
  write(key: string, data: Uint8Array): void;
}

const PREFIX = 'model-';
const SUFFIX = '.bin';
const CHECKSUM_BYTES = 32;

/**
 * A cache in a folder of its own (created private to this user), one file per key with a
 * SHA-256 of its contents at the end: a file cut short by a full disk or changed by hand is
 * refused, not read as weights. `onError` hears what failed (the engine logs it).
 */
export function folderCache(folder: string, onError: (message: string) => void = () => {}): ModelCache {
  const file = (key: string) => join(folder, `${PREFIX}${key}${SUFFIX}`);
  return {
    read(key) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onError(`Could not read the model cache ${file(key)}: ${(error as Error).message}`);
        return undefined;
      }
      const data = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
      if (bytes.length < CHECKSUM_BYTES || !sha256(data).equals(bytes.subarray(data.length))) {
        onError(`The model cache ${file(key)} is damaged; training instead.`);
        return undefined;
      }
      return data;
    },
    write(key, data) {
      const target = file(key);
      // Written aside and renamed: another instance starting at the same time reads all or nothing.
      const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        writeFileSync(temporary, Buffer.concat([data, sha256(data)]), { mode: 0o600 });
        renameSync(temporary, target);
        // Weights of earlier examples are of no more use: one file, not one per edit.
        for (const name of readdirSync(folder)) {
          if (name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name !== `${PREFIX}${key}${SUFFIX}`) rmSync(join(folder, name), { force: true });
        }
      } catch (error) {
        try {
          rmSync(temporary, { force: true });
        } catch {
          // The folder itself is missing or unreadable: nothing was left in it.
        }
        onError(`Could not write the model cache in ${folder}: ${(error as Error).message}. Each start will train again.`);
      }
    },
  };
}

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}
