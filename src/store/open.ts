/** Opening a store: the lowdb file for real use, lowdb's memory adapter for tests and benchmarks. */
import { randomBytes } from 'node:crypto';
import { constants, mkdirSync, rmSync } from 'node:fs';
import { access, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low, Memory } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { z } from 'zod';
import { CabildoError } from '../errors.js';
import { acquireLock } from './lock.js';
import { openPostgresStore } from './open-postgres.js';
import { sessionDataSchema, storeDataSchema } from './schema.js';
import type { Store } from './port.js';
import { DocumentStore, emptySessionData, emptyStoreData, type SessionData, type StoreData } from './store.js';
import { createUserKeyer, loadOrCreateSecret } from './user-key.js';

/** Dialog state lives beside the store: `data/db.json` → `data/db.sessions.json`. */
export function sessionsFileFor(file: string): string {
  return file.replace(/(\.json)?$/, '.sessions.json');
}

export interface FileStoreOptions {
  /** Key for hashing channel user ids; default: the `<file>.secret` beside the store, created once. */
  secret?: string;
}

/**
 * Opens (or creates) the store file. Refuses a file another process has open, and a file that
 * does not parse, which is left untouched for a person to look at.
 */
export async function openFileStore(file: string, options: FileStoreOptions = {}): Promise<Store> {
  const folder = dirname(file);
  const lock = notWritableExplained(folder, () => {
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      // On a read-only file system, a recursive mkdir reports ENOENT for the missing parent.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') Object.assign(error as object, { code: 'EROFS' });
      throw error;
    }
    return acquireLock(file);
  });
  try {
    const secret = options.secret ?? notWritableExplained(folder, () => loadOrCreateSecret(`${file}.secret`));
    const sessionsFile = sessionsFileFor(file);
    // A write cut short (a crash, a full disk) leaves its temporary file; the real file is intact.
    for (const f of [file, sessionsFile]) rmSync(tempFileOf(f), { force: true });
    const records = await readDocument<StoreData>(file, emptyStoreData(), storeDataSchema);
    const sessions = await readDocument<SessionData>(sessionsFile, emptySessionData(), sessionDataSchema);
    return new DocumentStore(records, sessions, createUserKeyer(secret), {
      cleanUpRecords: () => rm(tempFileOf(file), { force: true }),
      cleanUpSessions: () => rm(tempFileOf(sessionsFile), { force: true }),
      probe: () =>
        access(folder, constants.W_OK).then(
          () => undefined,
          (error: NodeJS.ErrnoException) => `the store folder ${folder} is not writable (${error.code})`,
        ),
      onClose: () => lock.release(),
    });
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Where lowdb's writer (steno) writes before renaming over the file. */
function tempFileOf(file: string): string {
  return join(dirname(file), `.${basename(file)}.tmp`);
}

const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

function notWritableExplained<T>(folder: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!code || !NOT_WRITABLE.has(code)) throw error;
    throw new CabildoError(
      'STORE_NOT_WRITABLE',
      `The store folder ${folder} is not writable (${code}). Cabildo keeps its data there: give the user running it write access, or set CABILDO_DB to a file in a writable folder.`,
      { cause: error },
    );
  }
}

/** A store that lives in memory only: the same code path as the file store, minus the disk. */
export function openMemoryStore(secret: string = randomBytes(16).toString('hex')): Store {
  return new DocumentStore(
    new Low<StoreData>(new Memory<StoreData>(), emptyStoreData()),
    new Low<SessionData>(new Memory<SessionData>(), emptySessionData()),
    createUserKeyer(secret),
  );
}

/** Reads one JSON document, refusing (and never overwriting) a file that does not parse or fit. */
async function readDocument<T>(file: string, empty: T, schema: z.ZodType): Promise<Low<T>> {
  // Compact JSON: the file is rewritten whole on each change, so every byte counts.
  const db = new Low<T>(new DataFile<T>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }), empty);
  // Read here rather than with db.read(): lowdb takes `null`, `false`, `0` and `""` for "no
  // data" and would start empty, then overwrite the file at the first change.
  let parsed: unknown;
  try {
    const text = await readFile(file, 'utf8');
    parsed = JSON.parse(text);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return db;
    throw new CabildoError(
      'STORE_CORRUPT',
      `The store ${file} cannot be read (${(cause as Error).message}). It was left untouched: restore it from a backup or move it away, then start again.`,
      { cause },
    );
  }
  const shape = schema.safeParse(parsed);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    throw new CabildoError(
      'STORE_CORRUPT',
      `The store ${file} is not a Cabildo store (${issue.path.join('.') || 'root'}: ${issue.message}). It was left untouched: restore it from a backup or move it away.`,
    );
  }
  // The file as written, not the schema's copy: fields a newer version added are kept.
  db.data = parsed as T;
  return db;
}

/** Where the store lives: the JSON file (the default) or a PostgreSQL database. */
export type StoreLocation = { kind: 'file'; file: string } | { kind: 'postgres'; url: string; poolSize?: number };

/** Opens the store the settings name; the secret is required for PostgreSQL (checked by the settings). */
export async function openStoreAt(location: StoreLocation, secret?: string): Promise<Store> {
  if (location.kind === 'file') return openFileStore(location.file, secret ? { secret } : {});
  return openPostgresStore(location.url, { secret: secret!, ...(location.poolSize ? { poolSize: location.poolSize } : {}) });
}
