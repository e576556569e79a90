/** Web-chat conversations in PostgreSQL: every instance serves every conversation. */
import type pg from 'pg';
import { inTransaction } from './pg-transaction.js';
import { activityId, randomId } from './chat-memory.js';
import type { PgNotifications } from './pg-notify.js';
import type { ChatActivity, ChatConversation, ChatConversations, ChatLimits, IssuedToken } from './port.js';

interface Row {
  id: string;
  user_id: string;
  started: boolean;
}

/** The NOTIFY channel an append announces its conversation on. */
export const CHAT_CHANNEL = 'cabildo_chat';

const view = (r: Row): ChatConversation => ({ id: r.id, userId: r.user_id, started: r.started });

export class PostgresChatConversations implements ChatConversations {
  constructor(
    private readonly pool: pg.Pool,
    private readonly limits: ChatLimits,
    /** LISTEN/NOTIFY on `CHAT_CHANNEL`: how an append on one instance reaches sockets on another. */
    private readonly notifications: PgNotifications,
    private readonly now: () => number = Date.now,
  ) {}

  private at(offsetMs = 0): Date {
    return new Date(this.now() + offsetMs);
  }

  async create(userId: string): Promise<ChatConversation | undefined> {
    const count = async () => Number((await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM chat_conversations')).rows[0]!.n);
    if ((await count()) >= this.limits.maxConversations && ((await this.sweep()), (await count()) >= this.limits.maxConversations)) return undefined;
    const { rows } = await this.pool.query<Row>('INSERT INTO chat_conversations (id, user_id, last_seen) VALUES ($1, $2, $3) RETURNING id, user_id, started', [randomId(18), userId, this.at()]);
    return view(rows[0]!);
  }

  async byToken(token: string): Promise<ChatConversation | undefined> {
    const { rows } = await this.pool.query<Row>(
      'UPDATE chat_conversations SET last_seen = $2 WHERE token = $1 AND token_expires >= $2 RETURNING id, user_id, started',
      [token, this.at()],
    );
    return rows[0] ? view(rows[0]) : undefined;
  }

  async issueToken(conversationId: string): Promise<IssuedToken> {
    const value = randomId(32);
    // One row, one token column: the new token replaces the old one in the same write.
    await this.pool.query('UPDATE chat_conversations SET token = $2, token_expires = $3 WHERE id = $1', [conversationId, value, this.at(this.limits.ttlMs)]);
    return { token: value, expiresIn: Math.floor(this.limits.ttlMs / 1000) };
  }

  async currentToken(conversationId: string): Promise<IssuedToken> {
    const { rows } = await this.pool.query<{ token: string | null; token_expires: Date | null }>('SELECT token, token_expires FROM chat_conversations WHERE id = $1', [conversationId]);
    const row = rows[0];
    if (!row?.token || !row.token_expires) return this.issueToken(conversationId);
    return { token: row.token, expiresIn: Math.max(0, Math.floor((row.token_expires.getTime() - this.now()) / 1000)) };
  }

  async start(conversationId: string): Promise<boolean> {
    const updated = await this.pool.query('UPDATE chat_conversations SET started = true WHERE id = $1 AND NOT started', [conversationId]);
    return (updated.rowCount ?? 0) > 0;
  }

  async append(conversationId: string, activity: ChatActivity): Promise<string> {
    return inTransaction(this.pool, async (db) => {
      // The row lock orders appends to one conversation across instances.
      const { rows } = await db.query<{ index: number }>('UPDATE chat_conversations SET appended = appended + 1 WHERE id = $1 RETURNING appended - 1 AS index', [conversationId]);
      if (!rows[0]) throw new Error(`conversation ${conversationId} is gone`);
      const index = rows[0].index;
      const id = activityId(conversationId, index);
      await db.query('INSERT INTO chat_activities (conversation_id, idx, activity) VALUES ($1, $2, $3)', [conversationId, index, { ...activity, id, timestamp: this.at().toISOString() }]);
      // Only the latest activities are kept; `appended` keeps the watermarks absolute.
      if (index >= this.limits.maxActivities) {
        await db.query('DELETE FROM chat_activities WHERE conversation_id = $1 AND idx <= $2', [conversationId, index - this.limits.maxActivities]);
      }
      // Delivered to every listening instance when the transaction commits, never before.
      await db.query('SELECT pg_notify($1, $2)', [CHAT_CHANNEL, conversationId]);
      return id;
    });
  }

  async since(conversationId: string, watermark: number): Promise<{ activities: ChatActivity[]; watermark: string }> {
    const from = Number.isInteger(watermark) && watermark >= 0 ? watermark : 0;
    // One statement, one snapshot: the watermark counts exactly the activities returned with it.
    const { rows } = await this.pool.query<{ appended: number; activity: ChatActivity | null }>(
      `SELECT c.appended, a.activity FROM chat_conversations c
       LEFT JOIN chat_activities a ON a.conversation_id = c.id AND a.idx >= $2
       WHERE c.id = $1 ORDER BY a.idx`,
      [conversationId, from],
    );
    return { activities: rows.flatMap((r) => (r.activity ? [r.activity] : [])), watermark: String(rows[0]?.appended ?? 0) };
  }

  async replace(conversationId: string, id: string, activity: ChatActivity): Promise<void> {
    await this.pool.query("UPDATE chat_activities SET activity = $3 WHERE conversation_id = $1 AND activity->>'id' = $2", [conversationId, id, { ...activity, id }]);
  }

  async has(conversationId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM chat_conversations WHERE id = $1', [conversationId]);
    return (rowCount ?? 0) > 0;
  }

  watch(conversationId: string, onAppend: () => void): () => void {
    return this.notifications.listen(conversationId, onAppend);
  }

  async sweep(): Promise<number> {
    const removed = await this.pool.query('DELETE FROM chat_conversations WHERE last_seen < $1', [this.at(-this.limits.ttlMs)]);
    return removed.rowCount ?? 0;
  }

  async counts(): Promise<{ conversations: number; tokens: number }> {
    const { rows } = await this.pool.query<{ conversations: string; tokens: string }>('SELECT count(*) AS conversations, count(token) AS tokens FROM chat_conversations');
    return { conversations: Number(rows[0]!.conversations), tokens: Number(rows[0]!.tokens) };
  }
}
