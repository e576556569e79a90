/** Opening the PostgreSQL store: connect (or stop with the setting to fix), migrate, serve. */
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { CabildoError } from '../errors.js';
import { PostgresStore } from './postgres-store.js';
import { createUserKeyer } from './user-key.js';

/** The schema's versions, applied in order at start (node-pg-migrate keeps which ran). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface PostgresOptions {
  secret: string;
  /** Connections in this process's pool. */
  poolSize?: number;
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

/** Brings the database to the newest schema; safe to run from several instances at once (it locks). */
export async function migrate(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await connectOrExplain(client, url);
  try {
    // 'wait': instances starting together queue behind the one migrating instead of failing.
    await runner({ dbClient: client, dir: MIGRATIONS_DIR, direction: 'up', migrationsTable: 'cabildo_migrations', advisoryLockMode: 'wait', log: () => {}, verbose: false });
  } finally {
    await client.end();
  }
}

export async function openPostgresStore(url: string, options: PostgresOptions): Promise<PostgresStore> {
  await migrate(url);
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  const locks = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  locks.on('error', () => {});
  return new PostgresStore(pool, locks, createUserKeyer(options.secret));
}

async function connectOrExplain(client: pg.Client, url: string): Promise<void> {
  try {
    await client.connect();
  } catch (cause) {
    throw new CabildoError(
      'STORE_UNREACHABLE',
      `Cannot reach the PostgreSQL database in CABILDO_DB (${redact(url)}): ${(cause as Error).message}. Check the address, the credentials and that the server runs; Cabildo does not fall back to the JSON file.`,
      { cause },
    );
  }
}
