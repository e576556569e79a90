/**
 * A throwaway PostgreSQL database per test file, on the server `CABILDO_TEST_PG` names (a URL to
 * any database there, used to create and drop the test's own). Without it the tests are skipped
 * with a printed reason, unless CABILDO_REQUIRE_PG=1 (set by CI), which makes it a failure.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_PG = process.env.CABILDO_TEST_PG;
if (!TEST_PG && process.env.CABILDO_REQUIRE_PG === '1') {
  throw new Error('CABILDO_REQUIRE_PG=1 but CABILDO_TEST_PG is not set: point it at a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres.');
}
export const pgSkipReason = TEST_PG ? undefined : 'CABILDO_TEST_PG is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres)';

/** Creates an empty database and returns its URL and a function that drops it. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cabildo_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_PG!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_PG });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
