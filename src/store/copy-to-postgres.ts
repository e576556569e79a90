/**
 * `store migrate --to postgres://…`: everything in the JSON store copied into PostgreSQL, in one
 * transaction, idempotently (a record already there is left as it is, so a second run changes
 * nothing), then counted on both sides.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type pg from 'pg';
import { CabildoError } from '../errors.js';
import { openPostgresStore } from './open-postgres.js';
import { openFileStore } from './open.js';
import { DocumentStore, type SessionData, type StoreData } from './store.js';

export interface CopyCount {
  kind: string;
  /** Records in the JSON store. */
  json: number;
  /** Of those, how many PostgreSQL holds after the copy. */
  postgres: number;
  /** Newly written by this run. */
  added: number;
}

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

export async function copyJsonToPostgres(file: string, url: string, secret: string): Promise<CopyCount[]> {
  // People are keyed by a hash of their ids: the database must use the key the file used.
  const keyFile = `${file}.secret`;
  if (existsSync(keyFile) && readFileSync(keyFile, 'utf8').trim() !== secret) {
    throw new CabildoError(
      'CONFIG_INVALID',
      `CABILDO_SECRET differs from the key this JSON store was written with (${keyFile}). Set CABILDO_SECRET to that file's content, or people would lose the link to their proposals.`,
    );
  }
  const source = await openFileStore(file, { secret });
  if (!(source instanceof DocumentStore)) throw new Error('expected the JSON store');
  const target = await openPostgresStore(url, { secret, poolSize: 2 });
  try {
    const { records, sessions } = source.snapshot();
    return await target.transaction((db) => copy(db, records, sessions));
  } finally {
    await source.close();
    await target.close();
  }
}

async function copy(db: pg.PoolClient, r: StoreData, s: SessionData): Promise<CopyCount[]> {
  const counts: CopyCount[] = [];
  const count = async (kind: string, json: number, added: number, present: () => Promise<number>) => counts.push({ kind, json, added, postgres: await present() });
  const added = (res: pg.QueryResult) => res.rowCount ?? 0;
  const total = async (sql: string, params: unknown[]) => Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);

  let n = 0;
  for (const p of r.proposals) {
    n += added(await db.query('INSERT INTO proposals (id, user_key, status, dialog_id, doc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING', [p.id, p.userKey ?? null, p.status, p.dialogId ?? null, p]));
  }
  await count('proposals', r.proposals.length, n, () => total('SELECT count(*) AS n FROM proposals WHERE id = ANY($1)', [r.proposals.map((p) => p.id)]));

  n = 0;
  for (const [year, last] of Object.entries(r.counters)) {
    n += added(await db.query('INSERT INTO counters (year, last) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET last = GREATEST(counters.last, EXCLUDED.last) WHERE counters.last < EXCLUDED.last', [Number(year), last]));
  }
  const years = Object.entries(r.counters);
  await count('tracking-number counters', years.length, n, async () => {
    let ok = 0;
    for (const [year, last] of years) ok += (await total('SELECT count(*) AS n FROM counters WHERE year = $1 AND last >= $2', [Number(year), last]));
    return ok;
  });

  const sessionEntries = Object.entries(s.sessions);
  n = 0;
  for (const [key, state] of sessionEntries) n += added(await db.query('INSERT INTO sessions (user_key, state) VALUES ($1, $2) ON CONFLICT (user_key) DO NOTHING', [key, state]));
  await count('dialog states', sessionEntries.length, n, () => total('SELECT count(*) AS n FROM sessions WHERE user_key = ANY($1)', [sessionEntries.map(([k]) => k)]));

  const noticeKeys = r.notices.map(hash);
  n = 0;
  for (const [i, notice] of r.notices.entries()) {
    n += added(await db.query('INSERT INTO notices (user_key, body, dedupe) VALUES ($1, $2, $3) ON CONFLICT (dedupe) DO NOTHING', [notice.userKey, notice, noticeKeys[i]]));
  }
  await count('notices', new Set(noticeKeys).size, n, () => total('SELECT count(*) AS n FROM notices WHERE dedupe = ANY($1)', [noticeKeys]));

  const auditKeys = r.audit.map(hash);
  n = 0;
  for (const [i, entry] of r.audit.entries()) n += added(await db.query('INSERT INTO audit (entry, dedupe) VALUES ($1, $2) ON CONFLICT (dedupe) DO NOTHING', [entry, auditKeys[i]]));
  await count('audit entries', new Set(auditKeys).size, n, () => total('SELECT count(*) AS n FROM audit WHERE dedupe = ANY($1)', [auditKeys]));

  const opinions = r.opinions ?? [];
  n = 0;
  for (const o of opinions) {
    n += added(
      await db.query('INSERT INTO opinions (user_key, commitment_id, vote, comment, comment_no, channel, hidden, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING', [
        o.userKey,
        o.commitmentId,
        o.vote,
        o.comment ?? null,
        o.commentNo ?? null,
        o.channel ?? null,
        o.hidden ?? null,
        o.at,
      ]),
    );
  }
  for (const [commitmentId, last] of Object.entries(r.commentCounters ?? {})) {
    await db.query('INSERT INTO comment_counters (commitment_id, last) VALUES ($1, $2) ON CONFLICT (commitment_id) DO UPDATE SET last = GREATEST(comment_counters.last, EXCLUDED.last)', [commitmentId, last]);
  }
  await count('opinions', opinions.length, n, () =>
    total("SELECT count(*) AS n FROM opinions WHERE user_key || ' ' || commitment_id = ANY($1)", [opinions.map((o) => `${o.userKey} ${o.commitmentId}`)]),
  );

  const priorities = r.priorities ?? [];
  n = 0;
  for (const p of priorities) n += added(await db.query('INSERT INTO priorities (user_key, commitment_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [p.userKey, p.commitmentId, p.at]));
  await count('priorities', priorities.length, n, () => total('SELECT count(*) AS n FROM priorities WHERE user_key = ANY($1)', [priorities.map((p) => p.userKey)]));

  const invited = r.invited ?? [];
  n = 0;
  for (const id of invited) n += added(await db.query('INSERT INTO invited (proposal_id) VALUES ($1) ON CONFLICT DO NOTHING', [id]));
  await count('invitations', invited.length, n, () => total('SELECT count(*) AS n FROM invited WHERE proposal_id = ANY($1)', [invited]));

  const signups = r.signups ?? [];
  n = 0;
  for (const x of signups) n += added(await db.query('INSERT INTO signups (code, table_id, user_key, doc) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [x.code, x.tableId, x.userKey, x]));
  await count('work-table sign-ups', signups.length, n, () => total('SELECT count(*) AS n FROM signups WHERE code = ANY($1)', [signups.map((x) => x.code)]));

  const responses = r.responses ?? [];
  n = 0;
  for (const x of responses) {
    n += added(await db.query('INSERT INTO commitment_responses (commitment_id, text, at, by_actor) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [x.commitmentId, x.text, x.at, x.by]));
  }
  await count('consultation responses', responses.length, n, () => total('SELECT count(*) AS n FROM commitment_responses WHERE commitment_id = ANY($1)', [responses.map((x) => x.commitmentId)]));

  // A person's linked identifiers (hashes), and where to reach them, still sealed: the same secret opens them.
  const people = Object.entries(r.people ?? {});
  n = 0;
  for (const [key, person] of people) n += added(await db.query('INSERT INTO person_links (key, person) VALUES ($1, $2) ON CONFLICT DO NOTHING', [key, person]));
  await count('linked identifiers', people.length, n, () => total('SELECT count(*) AS n FROM person_links WHERE key = ANY($1)', [people.map(([k]) => k)]));
  const reach = Object.entries(s.reach ?? {});
  n = 0;
  for (const [key, x] of reach) n += added(await db.query('INSERT INTO reach (user_key, last_inbound, address) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [key, x.at, x.address]));
  await count('last messages (WhatsApp window)', reach.length, n, () => total('SELECT count(*) AS n FROM reach WHERE user_key = ANY($1)', [reach.map(([k]) => k)]));

  // Who asked for no more email must stay unsubscribed (emails still queued are not copied:
  // the JSON store's server sends them before it stops, or they are skipped).
  const unsubscribed = r.unsubscribed ?? [];
  n = 0;
  for (const key of unsubscribed) n += added(await db.query('INSERT INTO email_unsubscribed (address_key, at) VALUES ($1, now()) ON CONFLICT DO NOTHING', [key]));
  await count('email unsubscriptions', unsubscribed.length, n, () => total('SELECT count(*) AS n FROM email_unsubscribed WHERE address_key = ANY($1)', [unsubscribed]));

  const short = counts.filter((c) => c.postgres !== c.json);
  if (short.length) {
    throw new CabildoError('STORE_MIGRATION_FAILED', `The copy does not match the JSON store (${short.map((c) => `${c.kind}: ${c.json} in the file, ${c.postgres} in the database`).join('; ')}); nothing was written.`);
  }
  return counts;
}
