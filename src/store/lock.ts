/**
 * One process per store file: an exclusive `flock` on `<file>.lock`, which the operating system
 * releases when the process dies however it dies (SIGKILL, OOM, a container's PID 1 killed).
 * A pid file would not do: in a fresh PID namespace the restarted server gets the dead one's pid.
 * The pid written inside is only for the error message.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { flockSync } from 'fs-ext';
import { CabildoError } from '../errors.js';

export interface Lock {
  release(): void;
}

/** flock locks belong to an open file, so a second open in this process would also conflict. */
const heldHere = new Set<string>();

export function acquireLock(storeFile: string): Lock {
  const lockFile = `${resolve(storeFile)}.lock`;
  if (heldHere.has(lockFile)) {
    throw new CabildoError('STORE_LOCKED', `The store ${storeFile} is already open in this process; close it before opening it again.`);
  }
  const fd = openSync(lockFile, 'a+');
  try {
    flockSync(fd, 'exnb');
  } catch (error) {
    closeSync(fd);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
      throw new CabildoError(
        'STORE_LOCKED',
        `The store ${storeFile} is in use by another Cabildo process. Stop that process first, or set CABILDO_DB to another file.`,
      );
    }
    throw error;
  }
  ftruncateSync(fd);
  writeSync(fd, String(process.pid));
  heldHere.add(lockFile);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      heldHere.delete(lockFile);
      // Closing the file drops the lock; the file stays, so no opener ever locks an unlinked inode.
      closeSync(fd);
    },
  };
}
