/**
 * The email outbox in PostgreSQL (migrations/1765100000000_email-outbox.sql). Entries are queued
 * inside the transaction that creates their notice; several instances may send at once, and
 * `FOR UPDATE SKIP LOCKED` with a lease (`next_at`) gives each due entry to one of them.
 */
import type pg from 'pg';
import type { EmailItem, EmailOutbox, OutboxEntry } from './outbox.js';

type Db = pg.Pool | pg.PoolClient;

/**
 * Queues `item` when its person gave an address with consent, checked in the same transaction
 * (the rule of `emailAddressOf`, in SQL, so it sees the rows this transaction just wrote).
 */
export async function queueEmail(db: Db, item: EmailItem): Promise<void> {
  if ('proposalId' in item) {
    await db.query(
      `INSERT INTO email_outbox (user_key, item)
       SELECT $1, $2 WHERE EXISTS (
         SELECT 1 FROM proposals WHERE id = $3 AND user_key = $1
           AND (doc->>'consent')::boolean AND coalesce(doc->'contact'->>'email', '') <> '')`,
      [item.userKey, item, item.proposalId],
    );
  } else if ('tableId' in item) {
    await db.query(
      `INSERT INTO email_outbox (user_key, item)
       SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM signups WHERE code = $3 AND user_key = $1 AND coalesce(doc->>'email', '') <> '')`,
      [item.userKey, item, item.code],
    );
  }
}

interface Row {
  id: string;
  item: EmailItem;
  attempts: number;
  queued_at: Date;
}

export class PostgresEmailOutbox implements EmailOutbox {
  constructor(private readonly pool: pg.Pool) {}

  async due(now: Date, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    const { rows } = await this.pool.query<Row>(
      `UPDATE email_outbox SET next_at = $2
       WHERE id IN (SELECT id FROM email_outbox WHERE next_at IS NULL OR next_at <= $1 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, item, attempts, queued_at`,
      [now, new Date(now.getTime() + leaseMs), limit],
    );
    return rows
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((r) => ({ id: String(r.id), item: r.item, attempts: r.attempts, queuedAt: r.queued_at.toISOString() }));
  }

  async sent(id: string): Promise<void> {
    await this.pool.query('DELETE FROM email_outbox WHERE id = $1', [id]);
  }

  async retry(id: string, at: Date): Promise<void> {
    await this.pool.query('UPDATE email_outbox SET attempts = attempts + 1, next_at = $2 WHERE id = $1', [id, at]);
  }

  async unsubscribe(addressKey: string, now: Date): Promise<void> {
    await this.pool.query('INSERT INTO email_unsubscribed (address_key, at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [addressKey, now]);
  }

  async unsubscribed(addressKey: string): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM email_unsubscribed WHERE address_key = $1', [addressKey]);
    return rows.length > 0;
  }
}
