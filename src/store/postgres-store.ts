/**
 * The store in PostgreSQL, for a large consultation or several instances on one database.
 * Parameterised queries only; every change that must be all-or-nothing runs in a transaction;
 * races that matter across instances (tracking numbers, the last place at a table, notices) are
 * settled by the database (row locks, advisory locks, DELETE … RETURNING), never by this process.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { formatTrackingNumber } from '../nlu/rules.js';
import type { CommentRef } from '../comment-ref.js';
import { CabildoError } from '../errors.js';
import { maskPersonalData } from '../privacy/mask.js';
import type { AuditEntry, CommitmentResponse, DialogState, ErasureScope, Moderation, Notice, Opinion, Priority, Proposal, ProposalStatus, SignUp, Vote } from '../types.js';
import { CHAT_CHANNEL, PostgresChatConversations } from './chat-postgres.js';
import { PgNotifications } from './pg-notify.js';
import { inTransaction } from './pg-transaction.js';
import { PostgresEmailOutbox, queueEmail } from './outbox-postgres.js';
import type { EmailOutbox } from './outbox.js';
import type { ChatConversations, ChatLimits, Invitation, NewProposal, NewSignUp, ProposalFilter, Reach, SignUpOutcome, StatusOutcome, Store, StoreHealth, UserData } from './port.js';
import type { UserKeyer } from './user-key.js';
import { fold } from '../text/fold.js';
import { applyCommentHidden, applyHidden, applyStatus, forgetAuthor, newProposal, newSignUp, signUpCode } from './records.js';

type Db = pg.Pool | pg.PoolClient;


/** Delivery ids older than this are pruned: platforms stop retrying well before. */
const DELIVERY_RETENTION = '2 days';

export class PostgresStore implements Store {
  /** Connections holding a claim (see `claim`), released at close. */
  private readonly claims: pg.PoolClient[] = [];
  /** One LISTEN connection for the web chat's streams, open while a socket watches one. */
  private chatNotifications: PgNotifications | undefined;

  /**
   * `locks` is a pool of its own for per-person locks: a turn holds one of its connections while
   * its queries use `pool`, so turns waiting for a lock can never starve the queries of the
   * turns that hold one.
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly locks: pg.Pool,
    readonly userKey: UserKeyer,
  ) {}

  async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const client = await this.locks.connect();
    try {
      await client.query("SELECT pg_advisory_lock(hashtextextended('cabildo-person:' || $1, 0))", [key]);
      try {
        return await work();
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtextextended('cabildo-person:' || $1, 0))", [key]);
      }
    } finally {
      client.release();
    }
  }

  async firstDelivery(id: string): Promise<boolean> {
    const inserted = await this.pool.query('INSERT INTO deliveries (id) VALUES ($1) ON CONFLICT DO NOTHING', [id]);
    // Pruning now and then keeps the table small without a scheduler.
    if (Math.random() < 0.01) await this.pool.query(`DELETE FROM deliveries WHERE at < now() - interval '${DELIVERY_RETENTION}'`);
    return (inserted.rowCount ?? 0) > 0;
  }

  async claim(name: string): Promise<boolean> {
    const client = await this.locks.connect();
    const { rows } = await client.query<{ held: boolean }>("SELECT pg_try_advisory_lock(hashtextextended('cabildo-claim:' || $1, 0)) AS held", [name]);
    if (!rows[0]!.held) {
      client.release();
      return false;
    }
    // A session lock: it lasts as long as this connection, so the connection is kept.
    this.claims.push(client);
    return true;
  }

  /** Runs `work` in one transaction on one connection; rolls back on any error. */
  transaction<T>(work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  async session(userKey: string): Promise<DialogState | undefined> {
    const { rows } = await this.pool.query<{ state: DialogState }>('SELECT state FROM sessions WHERE user_key = $1', [userKey]);
    return rows[0]?.state;
  }

  async setSession(userKey: string, state: DialogState | undefined): Promise<void> {
    if (state) {
      await this.pool.query('INSERT INTO sessions (user_key, state) VALUES ($1, $2) ON CONFLICT (user_key) DO UPDATE SET state = EXCLUDED.state', [userKey, state]);
    } else {
      await this.pool.query('DELETE FROM sessions WHERE user_key = $1', [userKey]);
    }
  }

  async dropSessions(form: DialogState['form'], updatedBefore: Date): Promise<number> {
    const { rowCount } = await this.pool.query("DELETE FROM sessions WHERE state->>'form' = $1 AND (state->>'updatedAt')::timestamptz < $2", [form, updatedBefore.toISOString()]);
    return rowCount ?? 0;
  }

  async submit(input: NewProposal, now: Date, year: number = now.getUTCFullYear()): Promise<Proposal> {
    if (input.dialogId) {
      const filed = await this.byDialog(this.pool, input.dialogId);
      if (filed) return filed;
    }
    try {
      return await this.transaction(async (db) => {
        // The counter row stays locked until commit: numbers are sequential, and a failed
        // insert rolls the counter back with it.
        const { rows } = await db.query<{ last: number }>(
          'INSERT INTO counters (year, last) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE SET last = counters.last + 1 RETURNING last',
          [year],
        );
        const proposal = newProposal(input, formatTrackingNumber(year, rows[0]!.last), now);
        await insertProposal(db, proposal);
        return proposal;
      });
    } catch (error) {
      // Two confirmations of one dialog racing (two instances): the second finds the first's.
      if ((error as { code?: string }).code === '23505' && input.dialogId) {
        const filed = await this.byDialog(this.pool, input.dialogId);
        if (filed) return filed;
      }
      throw error;
    }
  }

  private async byDialog(db: Db, dialogId: string): Promise<Proposal | undefined> {
    const { rows } = await db.query<{ doc: Proposal }>('SELECT doc FROM proposals WHERE dialog_id = $1', [dialogId]);
    return rows[0]?.doc;
  }

  async get(id: string): Promise<Proposal | undefined> {
    const { rows } = await this.pool.query<{ doc: Proposal }>('SELECT doc FROM proposals WHERE id = $1', [id]);
    return rows[0]?.doc;
  }

  async list(filter: ProposalFilter = {}): Promise<Proposal[]> {
    const { rows } = await this.pool.query<{ doc: Proposal }>(
      'SELECT doc FROM proposals WHERE ($1::text IS NULL OR status = $1) ORDER BY seq DESC',
      [filter.status ?? null],
    );
    const territory = filter.territory ? fold(filter.territory) : undefined;
    return rows.map((r) => r.doc).filter((p) => !territory || fold(p.territory).includes(territory));
  }

  async byUser(userKey: string): Promise<Proposal[]> {
    const { rows } = await this.pool.query<{ doc: Proposal }>('SELECT doc FROM proposals WHERE user_key = $1 ORDER BY seq DESC', [userKey]);
    return rows.map((r) => r.doc);
  }

  async setStatus(id: string, change: { status: ProposalStatus; answer?: string; actor: string }, now: Date): Promise<StatusOutcome> {
    return this.transaction(async (db) => {
      const { rows } = await db.query<{ doc: Proposal }>('SELECT doc FROM proposals WHERE id = $1 FOR UPDATE', [id]);
      const proposal = rows[0]?.doc;
      if (!proposal) return { kind: 'not_found' };
      if (proposal.status === 'retirada') return { kind: 'withdrawn' };
      const { audit, notice } = applyStatus(proposal, change, now);
      await updateProposal(db, proposal);
      await db.query('INSERT INTO audit (entry) VALUES ($1)', [audit]);
      if (notice) await addNotice(db, notice);
      return { kind: 'changed', proposal };
    });
  }

  async setHidden(id: string, reason: string | undefined, actor: string, now: Date): Promise<'changed' | 'not_found'> {
    return this.transaction(async (db) => {
      const { rows } = await db.query<{ doc: Proposal }>('SELECT doc FROM proposals WHERE id = $1 FOR UPDATE', [id]);
      const proposal = rows[0]?.doc;
      if (!proposal) return 'not_found';
      const { audit, notice } = applyHidden(proposal, reason, actor, now);
      await updateProposal(db, proposal);
      await db.query('INSERT INTO audit (entry) VALUES ($1)', [audit]);
      if (notice) await addNotice(db, notice);
      return 'changed';
    });
  }

  async audit(entry: AuditEntry): Promise<void> {
    await this.pool.query('INSERT INTO audit (entry) VALUES ($1)', [entry]);
  }

  async resultsRevision(): Promise<string> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT n FROM results_revision');
    return rows[0]!.n;
  }

  async personOf(key: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ person: string }>('SELECT person FROM person_links WHERE key = $1', [key]);
    return rows[0]?.person;
  }

  async linkPerson(keys: string[], person: string): Promise<string> {
    // ON CONFLICT DO NOTHING: a key linked by another instance first stays where that one put it.
    await this.pool.query('INSERT INTO person_links (key, person) SELECT k, $2 FROM unnest($1::text[]) AS k ON CONFLICT (key) DO NOTHING', [keys, person]);
    return (await this.personOf(keys[0]!)) ?? person;
  }

  async setReach(userKey: string, at: Date, address: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO reach (user_key, last_inbound, address) VALUES ($1, $2, $3) ON CONFLICT (user_key) DO UPDATE SET last_inbound = GREATEST(reach.last_inbound, EXCLUDED.last_inbound), address = EXCLUDED.address',
      [userKey, at, this.userKey.seal(address)],
    );
  }

  async reach(userKey: string): Promise<Reach | undefined> {
    const { rows } = await this.pool.query<{ last_inbound: Date; address: string }>('SELECT last_inbound, address FROM reach WHERE user_key = $1', [userKey]);
    const address = rows[0] && this.userKey.unseal(rows[0].address);
    return rows[0] && address !== undefined ? { lastInboundAt: rows[0].last_inbound.toISOString(), address } : undefined;
  }

  async removeNotice(notice: Notice): Promise<boolean> {
    // jsonb equality compares content, not field order; SKIP LOCKED lets two removers of twin notices each take one.
    const { rowCount } = await this.pool.query(
      'DELETE FROM notices WHERE id = (SELECT id FROM notices WHERE user_key = $1 AND body = $2::jsonb ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)',
      [notice.userKey, JSON.stringify(notice)],
    );
    return (rowCount ?? 0) > 0;
  }

  async hasNotices(userKey: string): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM notices WHERE user_key = $1 LIMIT 1', [userKey]);
    return rows.length > 0;
  }

  async takeNotices(userKey: string): Promise<Notice[]> {
    // DELETE … RETURNING: whichever instance takes a notice, no other can take it too.
    const { rows } = await this.pool.query<{ id: string; body: Notice }>('DELETE FROM notices WHERE user_key = $1 RETURNING id, body', [userKey]);
    return rows.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => r.body);
  }

  async pendingNotices(userKey?: string): Promise<Notice[]> {
    const { rows } = await this.pool.query<{ body: Notice }>('SELECT body FROM notices WHERE ($1::text IS NULL OR user_key = $1) ORDER BY id', [userKey ?? null]);
    return rows.map((r) => r.body);
  }

  async userData(userKey: string): Promise<UserData> {
    const [proposals, session, notices, opinions, priority, signups] = await Promise.all([
      this.byUser(userKey),
      this.session(userKey),
      this.pool.query<{ body: Notice }>('SELECT body FROM notices WHERE user_key = $1 ORDER BY id', [userKey]),
      this.opinionsOf(userKey),
      this.priorityOf(userKey),
      this.signUpsOf(userKey),
    ]);
    return {
      proposals,
      ...(session ? { session } : {}),
      notices: notices.rows.map((r) => r.body),
      opinions,
      ...(priority ? { priority } : {}),
      signups,
    };
  }

  async eraseUser(userKey: string, scope: ErasureScope, now: Date): Promise<number> {
    return this.transaction(async (db) => {
      const { rows } = await db.query<{ doc: Proposal }>('SELECT doc FROM proposals WHERE user_key = $1 FOR UPDATE', [userKey]);
      for (const { doc: p } of rows) {
        forgetAuthor(p, scope, now);
        await updateProposal(db, p);
      }
      await db.query('DELETE FROM notices WHERE user_key = $1', [userKey]);
      await db.query('DELETE FROM email_outbox WHERE user_key = $1', [userKey]);
      const { rows: signups } = await db.query<{ doc: SignUp }>('SELECT doc FROM signups WHERE user_key = $1 ORDER BY seq', [userKey]);
      for (const { doc } of signups) await release(db, doc, now);
      if (scope === 'withdraw') {
        // Nothing will be sent to the person any more: forget where to reach them and their other identifiers.
        await db.query('DELETE FROM reach WHERE user_key = $1', [userKey]);
        await db.query('DELETE FROM person_links WHERE person = $1', [userKey]);
        await db.query('DELETE FROM opinions WHERE user_key = $1', [userKey]);
        await db.query('DELETE FROM priorities WHERE user_key = $1', [userKey]);
      } else {
        const { rows: comments } = await db.query<{ commitment_id: string; comment: string }>(
          'SELECT commitment_id, comment FROM opinions WHERE user_key = $1 AND comment IS NOT NULL',
          [userKey],
        );
        for (const c of comments) {
          await db.query('UPDATE opinions SET comment = $3 WHERE user_key = $1 AND commitment_id = $2', [userKey, c.commitment_id, maskPersonalData(c.comment)]);
        }
      }
      await db.query('DELETE FROM sessions WHERE user_key = $1', [userKey]);
      return rows.length;
    });
  }

  async vote(userKey: string, commitmentId: string, vote: Vote, now: Date): Promise<{ replaced: boolean }> {
    return this.transaction(async (db) => {
      // Delete and insert, not update: a new vote takes a new place in the person's order.
      const removed = await db.query('DELETE FROM opinions WHERE user_key = $1 AND commitment_id = $2', [userKey, commitmentId]);
      await db.query('INSERT INTO opinions (user_key, commitment_id, vote, at) VALUES ($1, $2, $3, $4)', [userKey, commitmentId, vote, now.toISOString()]);
      return { replaced: (removed.rowCount ?? 0) > 0 };
    });
  }

  async comment(userKey: string, channel: string, commitmentId: string, comment: string, now: Date): Promise<void> {
    await this.transaction(async (db) => {
      const exists = await db.query('SELECT 1 FROM opinions WHERE user_key = $1 AND commitment_id = $2 FOR UPDATE', [userKey, commitmentId]);
      if (!exists.rowCount) throw new CabildoError('OPINION_NOT_FOUND', `No opinion on ${commitmentId} to comment on.`);
      const { rows } = await db.query<{ last: number }>(
        'INSERT INTO comment_counters (commitment_id, last) VALUES ($1, 1) ON CONFLICT (commitment_id) DO UPDATE SET last = comment_counters.last + 1 RETURNING last',
        [commitmentId],
      );
      await db.query('UPDATE opinions SET comment = $3, comment_no = $4, channel = $5, hidden = NULL, at = $6 WHERE user_key = $1 AND commitment_id = $2', [
        userKey,
        commitmentId,
        comment,
        rows[0]!.last,
        channel,
        now.toISOString(),
      ]);
    });
  }

  async setCommentHidden(ref: CommentRef, reason: string | undefined, actor: string, now: Date): Promise<'changed' | 'not_found'> {
    return this.transaction(async (db) => {
      const { rows } = await db.query<OpinionRow>('SELECT * FROM opinions WHERE commitment_id = $1 AND comment_no = $2 AND comment IS NOT NULL FOR UPDATE', [ref.commitmentId, ref.commentNo]);
      if (!rows[0]) return 'not_found';
      const opinion = toOpinion(rows[0]);
      const { audit, notice } = applyCommentHidden(opinion, ref, reason, actor, now);
      await db.query('UPDATE opinions SET hidden = $3 WHERE commitment_id = $1 AND comment_no = $2', [ref.commitmentId, ref.commentNo, opinion.hidden ?? null]);
      await db.query('INSERT INTO audit (entry) VALUES ($1)', [audit]);
      if (notice) await addNotice(db, notice);
      return 'changed';
    });
  }

  async opinionsOf(userKey: string): Promise<Opinion[]> {
    const { rows } = await this.pool.query<OpinionRow>('SELECT * FROM opinions WHERE user_key = $1 ORDER BY seq', [userKey]);
    return rows.map(toOpinion);
  }

  async opinions(commitmentId?: string): Promise<Opinion[]> {
    const { rows } = await this.pool.query<OpinionRow>('SELECT * FROM opinions WHERE ($1::text IS NULL OR commitment_id = $1) ORDER BY seq DESC', [commitmentId ?? null]);
    return rows.map(toOpinion);
  }

  async setPriority(userKey: string, commitmentId: string, now: Date): Promise<void> {
    await this.transaction(async (db) => {
      await db.query('DELETE FROM priorities WHERE user_key = $1', [userKey]);
      await db.query('INSERT INTO priorities (user_key, commitment_id, at) VALUES ($1, $2, $3)', [userKey, commitmentId, now.toISOString()]);
    });
  }

  async priorityOf(userKey: string): Promise<Priority | undefined> {
    const { rows } = await this.pool.query<PriorityRow>('SELECT * FROM priorities WHERE user_key = $1', [userKey]);
    return rows[0] ? toPriority(rows[0]) : undefined;
  }

  async priorities(): Promise<Priority[]> {
    const { rows } = await this.pool.query<PriorityRow>('SELECT * FROM priorities ORDER BY seq');
    return rows.map(toPriority);
  }

  async respondToConsultation(commitmentId: string, text: string, actor: string, now: Date): Promise<void> {
    await this.transaction(async (db) => {
      await db.query(
        'INSERT INTO commitment_responses (commitment_id, text, at, by_actor) VALUES ($1, $2, $3, $4) ON CONFLICT (commitment_id) DO UPDATE SET text = EXCLUDED.text, at = EXCLUDED.at, by_actor = EXCLUDED.by_actor',
        [commitmentId, text, now.toISOString(), actor],
      );
      await db.query('INSERT INTO audit (entry) VALUES ($1)', [{ at: now.toISOString(), actor, action: 'consultation_response', detail: commitmentId }]);
    });
  }

  async consultationResponses(): Promise<CommitmentResponse[]> {
    const { rows } = await this.pool.query<{ commitment_id: string; text: string; at: Date; by_actor: string }>('SELECT * FROM commitment_responses ORDER BY at');
    return rows.map((r) => ({ commitmentId: r.commitment_id, text: r.text, at: r.at.toISOString(), by: r.by_actor }));
  }

  async invite(invitations: Invitation[], now: Date): Promise<number> {
    return this.transaction(async (db) => {
      let count = 0;
      for (const { proposalId, commitmentId } of invitations) {
        const { rows } = await db.query<{ doc: Proposal }>('SELECT doc FROM proposals WHERE id = $1', [proposalId]);
        const p = rows[0]?.doc;
        if (!p) continue;
        const fresh = await db.query('INSERT INTO invited (proposal_id) VALUES ($1) ON CONFLICT DO NOTHING', [proposalId]);
        if (!fresh.rowCount || !p.userKey || p.status === 'retirada') continue;
        await addNotice(db, { userKey: p.userKey, channel: p.channel, proposalId, createdAt: now.toISOString(), kind: 'draft_open', commitmentId });
        count++;
      }
      return count;
    });
  }

  async signUp(input: NewSignUp, capacity: number, now: Date): Promise<SignUpOutcome> {
    return this.transaction(async (db) => {
      // One table at a time, across every instance: the count and the insert cannot interleave.
      await lockTable(db, input.tableId);
      const { rows: mine } = await db.query<{ doc: SignUp }>('SELECT doc FROM signups WHERE user_key = $1 AND table_id = $2', [input.userKey, input.tableId]);
      if (mine[0]) return { signUp: mine[0].doc, existing: true, ...(await position(db, mine[0].doc)) };
      const { rows: taken } = await db.query<{ n: string }>("SELECT count(*) AS n FROM signups WHERE table_id = $1 AND doc->>'status' = 'confirmed'", [input.tableId]);
      const signUp = newSignUp(input, signUpCode(input.tableId, randomBytes(4)), Number(taken[0]!.n) < capacity, now);
      await db.query('INSERT INTO signups (code, table_id, user_key, doc) VALUES ($1, $2, $3, $4)', [signUp.code, signUp.tableId, signUp.userKey, signUp]);
      await queueEmail(db, { kind: 'table_signup', userKey: signUp.userKey, channel: signUp.channel, createdAt: signUp.createdAt, tableId: signUp.tableId, code: signUp.code });
      return { signUp, existing: false, ...(await position(db, signUp)) };
    });
  }

  async cancelSignUp(userKey: string, code: string, now: Date): Promise<{ cancelled: SignUp; promoted?: SignUp } | undefined> {
    return this.transaction(async (db) => {
      const { rows } = await db.query<{ doc: SignUp }>('SELECT doc FROM signups WHERE user_key = $1 AND code = $2', [userKey, code.toUpperCase()]);
      const signUp = rows[0]?.doc;
      if (!signUp) return undefined;
      await lockTable(db, signUp.tableId);
      const promoted = await release(db, signUp, now);
      return { cancelled: signUp, ...(promoted ? { promoted } : {}) };
    });
  }

  async signUpsOf(userKey: string): Promise<SignUp[]> {
    const { rows } = await this.pool.query<{ doc: SignUp }>('SELECT doc FROM signups WHERE user_key = $1 ORDER BY seq', [userKey]);
    return rows.map((r) => r.doc);
  }

  async signUps(tableId: string): Promise<SignUp[]> {
    const { rows } = await this.pool.query<{ doc: SignUp }>('SELECT doc FROM signups WHERE table_id = $1 ORDER BY seq', [tableId]);
    return rows.map((r) => r.doc);
  }

  async remind(tableIds: string[], now: Date): Promise<number> {
    return this.transaction(async (db) => {
      const { rows } = await db.query<{ doc: SignUp }>(
        `UPDATE signups SET doc = jsonb_set(doc, '{reminded}', 'true')
         WHERE table_id = ANY($1) AND doc->>'status' = 'confirmed' AND NOT coalesce((doc->>'reminded')::boolean, false)
         RETURNING doc`,
        [tableIds],
      );
      for (const { doc } of rows) {
        await addNotice(db, { userKey: doc.userKey, channel: doc.channel, createdAt: now.toISOString(), kind: 'table_reminder', tableId: doc.tableId, code: doc.code });
      }
      return rows.length;
    });
  }

  emailOutbox(): EmailOutbox {
    return new PostgresEmailOutbox(this.pool);
  }

  chatConversations(limits: ChatLimits, now?: () => number): ChatConversations {
    this.chatNotifications ??= new PgNotifications(this.pool.options, CHAT_CHANNEL);
    return new PostgresChatConversations(this.pool, limits, this.chatNotifications, now);
  }

  async health(): Promise<StoreHealth> {
    try {
      await this.pool.query('SELECT 1');
      return { ok: true };
    } catch (error) {
      return { ok: false, problem: `the database does not answer (${(error as Error).message})` };
    }
  }

  async close(): Promise<void> {
    for (const client of this.claims.splice(0)) client.release();
    await this.chatNotifications?.close();
    await Promise.all([this.pool.end(), this.locks.end()]);
  }
}

async function insertProposal(db: Db, p: Proposal): Promise<void> {
  await db.query('INSERT INTO proposals (id, user_key, status, dialog_id, doc) VALUES ($1, $2, $3, $4, $5)', [p.id, p.userKey ?? null, p.status, p.dialogId ?? null, p]);
}

async function updateProposal(db: Db, p: Proposal): Promise<void> {
  await db.query('UPDATE proposals SET user_key = $2, status = $3, doc = $4 WHERE id = $1', [p.id, p.userKey ?? null, p.status, p]);
}

/** Leaves a notice, and queues its email when the person gave an address with consent (same transaction). */
async function addNotice(db: Db, notice: Notice): Promise<void> {
  await db.query('INSERT INTO notices (user_key, body) VALUES ($1, $2)', [notice.userKey, notice]);
  await queueEmail(db, notice);
}

/** A transaction-scoped lock on one work table (released at commit or rollback). */
async function lockTable(db: Db, tableId: string): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext('cabildo-table:' || $1))", [tableId]);
}

async function position(db: Db, signUp: SignUp): Promise<{ position?: number }> {
  if (signUp.status !== 'waitlist') return {};
  const { rows } = await db.query<{ n: string }>(
    "SELECT count(*) AS n FROM signups WHERE table_id = $1 AND doc->>'status' = 'waitlist' AND seq <= (SELECT seq FROM signups WHERE code = $2)",
    [signUp.tableId, signUp.code],
  );
  return { position: Number(rows[0]!.n) };
}

/** Deletes a sign-up and gives a place it held to the first in line, with a notice. */
async function release(db: Db, signUp: SignUp, now: Date): Promise<SignUp | undefined> {
  await db.query('DELETE FROM signups WHERE code = $1', [signUp.code]);
  if (signUp.status !== 'confirmed') return undefined;
  const { rows } = await db.query<{ doc: SignUp }>(
    "SELECT doc FROM signups WHERE table_id = $1 AND doc->>'status' = 'waitlist' ORDER BY seq LIMIT 1 FOR UPDATE",
    [signUp.tableId],
  );
  const next = rows[0]?.doc;
  if (!next) return undefined;
  next.status = 'confirmed';
  next.updatedAt = now.toISOString();
  await db.query('UPDATE signups SET doc = $2 WHERE code = $1', [next.code, next]);
  await addNotice(db, { userKey: next.userKey, channel: next.channel, createdAt: now.toISOString(), kind: 'table_promoted', tableId: next.tableId, code: next.code });
  return next;
}

interface OpinionRow {
  user_key: string;
  commitment_id: string;
  vote: Vote;
  comment: string | null;
  comment_no: number | null;
  channel: string | null;
  hidden: Moderation | null;
  at: Date;
}

function toOpinion(r: OpinionRow): Opinion {
  return {
    commitmentId: r.commitment_id,
    userKey: r.user_key,
    vote: r.vote,
    ...(r.comment !== null ? { comment: r.comment } : {}),
    ...(r.comment_no !== null ? { commentNo: r.comment_no } : {}),
    ...(r.channel !== null ? { channel: r.channel } : {}),
    ...(r.hidden !== null ? { hidden: r.hidden } : {}),
    at: r.at.toISOString(),
  };
}

interface PriorityRow {
  user_key: string;
  commitment_id: string;
  at: Date;
}

function toPriority(r: PriorityRow): Priority {
  return { userKey: r.user_key, commitmentId: r.commitment_id, at: r.at.toISOString() };
}
