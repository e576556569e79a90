/**
 * One process per store file: a lock file beside it holding the owner's pid. A lock left by a
 * process that no longer runs (a crash, SIGKILL) is taken over at once, so a restart after a
 * crash never waits.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { CabildoError } from '../errors.js';

export interface Lock {
  release(): void;
}

export function acquireLock(storeFile: string): Lock {
  const lockFile = `${storeFile}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      const release = () => {
        try {
          if (readFileSync(lockFile, 'utf8') === String(process.pid)) unlinkSync(lockFile);
        } catch {
          // Already gone: nothing to release.
        }
        process.off('exit', release);
      };
      process.on('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
        throw new CabildoError(
          'STORE_LOCKED',
          `The store ${storeFile} is in use by another Cabildo process (pid ${owner}). Stop that process first, or set CABILDO_DB to another file.`,
        );
      }
      if (owner === process.pid) {
        throw new CabildoError('STORE_LOCKED', `The store ${storeFile} is already open in this process; close it before opening it again.`);
      }
      unlinkSync(lockFile);
    }
  }
  throw new CabildoError('STORE_LOCKED', `Could not lock the store ${storeFile}: another process keeps taking the lock.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
