/**
 * The PostgreSQL store in the benchmark: a throwaway database on the server `CABILDO_BENCH_PG`
 * (or `CABILDO_TEST_PG`) names, seeded in bulk, dropped after. Without either, skipped.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresStore } from '../src/store/open-postgres.js';
import type { Store } from '../src/store/port.js';
import type { Proposal } from '../src/types.js';

export const BENCH_PG = process.env.CABILDO_BENCH_PG ?? process.env.CABILDO_TEST_PG;
const SECRET = 'bench-secret-0123456789abcdef';

/** An empty database on the bench server, and a function that drops it. */
export async function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cabildo_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_PG });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(BENCH_PG!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: BENCH_PG });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh database with `existing` proposals of realistic size, and a store on it. */
export async function postgresStore(existing = 0): Promise<{ store: Store; drop: () => Promise<void> }> {
  const db = await emptyDatabase();
  const store = await openPostgresStore(db.url, { secret: SECRET });
  if (existing) await seed(db.url, existing);
  return {
    store,
    drop: async () => {
      await store.close().catch(() => {});
      await db.drop();
    },
  };
}

async function seed(url: string, existing: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const text = 'Texto de ejemplo de una propuesta ciudadana con un largo realista, como los que escribe la gente. '.repeat(3);
  for (let from = 1; from <= existing; from += 5_000) {
    const batch: Proposal[] = [];
    for (let i = from; i < Math.min(from + 5_000, existing + 1); i++) {
      const at = new Date().toISOString();
      batch.push({
        id: `GA-2027-${String(i).padStart(6, '0')}`, createdAt: at, updatedAt: at, channel: 'bench', userKey: `k${i}`,
        title: `Propuesta ${i}`, problem: text, description: text, actors: 'Municipalidad', components: text,
        institution: 'Municipalidad', pillars: ['transparency'], territory: 'Renca', consent: false, status: 'recibida',
        history: [{ status: 'recibida', at, by: 'citizen' }],
      });
    }
    await c.query(
      'INSERT INTO proposals (id, user_key, status, doc) SELECT d->>\'id\', d->>\'userKey\', d->>\'status\', d FROM jsonb_array_elements($1::jsonb) AS d',
      [JSON.stringify(batch)],
    );
  }
  await c.query('INSERT INTO counters (year, last) VALUES (2027, $1)', [existing]);
  // Measure submissions, not the bulk load's aftermath: fresh statistics, dirty pages flushed.
  await c.query('ANALYZE');
  await c.query('CHECKPOINT').catch(() => {});
  await c.end();
}
