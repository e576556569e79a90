/** Opening a store: the lowdb file for real use, lowdb's memory adapter for tests and benchmarks. */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Low, Memory } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { z } from 'zod';
import { CabildoError } from '../errors.js';
import { acquireLock } from './lock.js';
import { emptySessionData, emptyStoreData, Store, type SessionData, type StoreData } from './store.js';
import { createUserKeyer, loadOrCreateSecret } from './user-key.js';

/** The document's outline, checked on read; the records inside are Cabildo's own writing. */
const storeDataSchema = z.looseObject({
  v: z.literal(1),
  proposals: z.array(z.looseObject({ id: z.string() })),
  counters: z.record(z.string(), z.number().int()),
  notices: z.array(z.unknown()),
  audit: z.array(z.unknown()),
});
const sessionDataSchema = z.looseObject({ v: z.literal(1), sessions: z.record(z.string(), z.unknown()) });

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
  mkdirSync(dirname(file), { recursive: true });
  const lock = acquireLock(file);
  try {
    const secret = options.secret ?? loadOrCreateSecret(`${file}.secret`);
    const records = await readDocument<StoreData>(file, emptyStoreData(), storeDataSchema);
    const sessions = await readDocument<SessionData>(sessionsFileFor(file), emptySessionData(), sessionDataSchema);
    return new Store(records, sessions, createUserKeyer(secret), () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** A store that lives in memory only: the same code path as the file store, minus the disk. */
export function openMemoryStore(secret: string = randomBytes(16).toString('hex')): Store {
  return new Store(
    new Low<StoreData>(new Memory<StoreData>(), emptyStoreData()),
    new Low<SessionData>(new Memory<SessionData>(), emptySessionData()),
    createUserKeyer(secret),
  );
}

/** Reads one JSON document, refusing (and never overwriting) a file that does not parse or fit. */
async function readDocument<T>(file: string, empty: T, schema: z.ZodType): Promise<Low<T>> {
  // Compact JSON: the file is rewritten whole on each change, so every byte counts.
  const db = new Low<T>(new DataFile<T>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }), empty);
  try {
    await db.read();
  } catch (cause) {
    throw new CabildoError(
      'STORE_CORRUPT',
      `The store ${file} cannot be read (${(cause as Error).message}). It was left untouched: restore it from a backup or move it away, then start again.`,
      { cause },
    );
  }
  const shape = schema.safeParse(db.data);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    throw new CabildoError(
      'STORE_CORRUPT',
      `The store ${file} is not a Cabildo store (${issue.path.join('.') || 'root'}: ${issue.message}). It was left untouched: restore it from a backup or move it away.`,
    );
  }
  return db;
}
