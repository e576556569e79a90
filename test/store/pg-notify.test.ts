/**
 * The web chat's LISTEN connection on PostgreSQL survives losing its connection: the watchers
 * are told to look again (notifications sent meanwhile are lost) and later appends reach them.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/open-postgres.js';
import { freshDatabase, pgSkipReason } from '../helpers/postgres.js';

const SECRET = 'pg-notify-secret-0123456789';
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(pgSkipReason !== undefined)('web-chat stream notifications on PostgreSQL', () => {
  it('reconnects a cut LISTEN connection, tells the watchers to look again, and keeps notifying', { timeout: 30_000 }, async () => {
    const db = await freshDatabase();
    drops.push(db.drop);
    const a = await openPostgresStore(db.url, { secret: SECRET });
    const b = await openPostgresStore(db.url, { secret: SECRET });
    const limits = { ttlMs: 60_000, maxConversations: 10, maxActivities: 10 };
    const chats = a.chatConversations(limits);
    const c = (await chats.create('w_ana'))!;
    let calls = 0;
    const stop = chats.watch(c.id, () => calls++);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const listeners = async () =>
      (await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'")).rows.map((r) => r.pid);
    try {
      // The listening connection opens with the first watcher.
      let before: number[] = [];
      for (let i = 0; i < 100 && before.length !== 1; i++) {
        before = await listeners();
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(before).toHaveLength(1);
      await admin.query('SELECT pg_terminate_backend($1)', [before[0]]);
      const afterCut = calls;
      // Back, under a new connection, and the watcher is told to look again.
      await until(() => calls > afterCut);
      let after: number[] = [];
      for (let i = 0; i < 100 && (after.length !== 1 || after[0] === before[0]); i++) {
        after = await listeners();
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(after).toHaveLength(1);
      expect(after[0]).not.toBe(before[0]);
      // And another instance's append reaches it again.
      const seen = calls;
      await b.chatConversations(limits).append(c.id, { type: 'message', text: 'hola' });
      await until(() => calls > seen, 5000);
      stop();
    } finally {
      await admin.end();
      await b.close();
      await a.close();
    }
  });
});
