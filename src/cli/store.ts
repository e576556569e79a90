/** `cabildo store migrate --to postgres://…`: the JSON store copied into PostgreSQL, counted on both sides. */
import { CabildoError } from '../errors.js';
import { copyJsonToPostgres } from '../store/copy-to-postgres.js';
import { redact } from '../store/open-postgres.js';
import { readSettings } from './config.js';

export async function migrateStore(to: string): Promise<void> {
  if (!/^postgres(ql)?:\/\//.test(to)) throw new CabildoError('CONFIG_INVALID', `--to must be a PostgreSQL URL such as postgres://user@host:5432/cabildo (got ${JSON.stringify(redact(to))}).`);
  // The source is the JSON file CABILDO_DB names (or the default); never a database.
  const settings = readSettings({ ...process.env, CABILDO_DB: process.env.CABILDO_DB?.startsWith('postgres') ? '' : process.env.CABILDO_DB });
  if (!settings.secret) {
    throw new CabildoError('CONFIG_INVALID', `Set CABILDO_SECRET to the key the JSON store uses (the content of ${settings.dbFile}.secret): the database must key people the same way.`);
  }
  const counts = await copyJsonToPostgres(settings.dbFile, to, settings.secret);
  const width = Math.max(...counts.map((c) => c.kind.length));
  const lines = counts.map((c) => `${c.kind.padEnd(width)}  ${String(c.json).padStart(7)} in the file  ${String(c.postgres).padStart(7)} in the database  (${c.added} added)`);
  process.stdout.write(`Copied ${settings.dbFile} to ${redact(to)}:\n${lines.join('\n')}\nEvery record is in both.\n`);
}
