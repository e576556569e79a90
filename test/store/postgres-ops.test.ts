/**
 * Operating on PostgreSQL as an operator would: `store migrate` from a JSON store holding every
 * kind of record (twice: the second run adds nothing), a server started on the database, and an
 * unreachable database that stops start-up with the setting named.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/open.js';
import { openPostgresStore } from '../../src/store/open-postgres.js';
import type { Store } from '../../src/store/port.js';
import { cli } from '../helpers/cli.js';
import { freshDatabase, pgSkipReason } from '../helpers/postgres.js';
import { startProcess } from '../helpers/process.js';
import { sample } from '../helpers/sample.js';

const SECRET = 'ops-secret-0123456789abcdef';
const NOW = new Date('2027-03-15T12:00:00Z');
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

if (pgSkipReason) console.log(`skipped: PostgreSQL operations (${pgSkipReason})`);

/** Everything a store can hold, as the JSON file holds it. */
async function everything(store: Store): Promise<void> {
  const a = await store.submit({ ...sample(1, 'ana'), dialogId: 'd1', consent: true, contact: { name: 'Ana', email: 'ana@correo.cl' } }, NOW, 2027);
  await store.submit(sample(2, 'beto'), NOW, 2027);
  await store.submit(sample(3, 'carla'), NOW, 2026);
  await store.setStatus(a.id, { status: 'en_revision', answer: 'La revisamos.', actor: 'staff:x' }, NOW);
  await store.audit({ at: NOW.toISOString(), actor: 'staff:x', action: 'export' });
  await store.setSession('beto', { v: 1, form: 'deletion', updatedAt: NOW.toISOString() });
  await store.vote('ana', 'C1', 'agree', NOW);
  await store.comment('ana', 'C1', 'Muy bien', NOW);
  await store.vote('beto', 'C1', 'pass', NOW);
  await store.setPriority('ana', 'C1', NOW);
  await store.invite([{ proposalId: a.id, commitmentId: 'C1' }], NOW);
  for (const k of ['ana', 'beto']) await store.signUp({ tableId: 'M1', userKey: k, channel: 'test', name: k, email: `${k}@x.cl` }, 1, NOW);
}

describe.skipIf(pgSkipReason !== undefined)('PostgreSQL operations', () => {
  it('store migrate copies every kind of record, verifies the counts, and a second run changes nothing', { timeout: 60_000 }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cabildo-migrate-')), 'db.json');
    const json = await openFileStore(file, { secret: SECRET });
    await everything(json);
    await json.close();
    const db = await freshDatabase();
    drops.push(db.drop);
    const env = { CABILDO_DB: file, CABILDO_SECRET: SECRET };

    const first = await cli(['store', 'migrate', '--to', db.url], '', env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^proposals +3 in the file +3 in the database +\(3 added\)$/m);
    expect(first.stdout).toMatch(/^opinions +2 in the file +2 in the database +\(2 added\)$/m);
    expect(first.stdout).toMatch(/^work-table sign-ups +2 in the file +2 in the database +\(2 added\)$/m);
    expect(first.stdout).toMatch(/Every record is in both/);

    const second = await cli(['store', 'migrate', '--to', db.url], '', env);
    expect(second.code).toBe(0);
    expect(second.stdout.match(/\((\d+) added\)/g)!.every((m) => m === '(0 added)')).toBe(true);

    const [source, target] = [await openFileStore(file, { secret: SECRET }), await openPostgresStore(db.url, { secret: SECRET })];
    try {
      for (const read of [
        (s: Store) => s.list(),
        (s: Store) => s.userData('ana'),
        (s: Store) => s.userData('beto'),
        (s: Store) => s.pendingNotices(),
        (s: Store) => s.opinions(),
        (s: Store) => s.priorities(),
        (s: Store) => s.signUps('M1'),
      ]) {
        expect(await read(target)).toEqual(await read(source));
      }
      // Numbering goes on where the file left it.
      expect((await target.submit(sample(9), NOW, 2027)).id).toBe('GA-2027-000003');
    } finally {
      await source.close();
      await target.close();
    }
  });

  it('refuses to copy with a key other than the one the JSON store was written with', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cabildo-migrate-')), 'db.json');
    await (await openFileStore(file)).close();
    const db = await freshDatabase();
    drops.push(db.drop);
    const run = await cli(['store', 'migrate', '--to', db.url], '', { CABILDO_DB: file, CABILDO_SECRET: SECRET });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/CABILDO_SECRET differs from the key this JSON store was written with/);
  });

  it('serves the web chat from PostgreSQL with npm start', { timeout: 60_000 }, async () => {
    const db = await freshDatabase();
    drops.push(db.drop);
    const server = startProcess({ CABILDO_DB: db.url, CABILDO_SECRET: SECRET, PORT: '0' });
    try {
      const url = await server.listening();
      const health = await fetch(`${url}/healthz`);
      expect(await health.json()).toMatchObject({ ok: true, store: { ok: true } });
      const { token, conversationId } = (await (await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${(await (await fetch(`${url}/v3/directline/tokens/generate`, { method: 'POST' })).json()).token}` } })).json()) as { token: string; conversationId: string };
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const say = (text: string) => fetch(`${url}/v3/directline/conversations/${conversationId}/activities`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'message', from: { id: 'ignored' }, text }) });
      for (const text of ['enviar propuesta', 'Presupuesto comunal en lenguaje claro', 'Nadie en mi comuna entiende en qué se gasta el presupuesto', 'Publicar cada trimestre el presupuesto en datos abiertos', 'Municipalidad y juntas de vecinos', 'Portal de datos y dos cabildos al año', 'Municipalidad de Renca', '1 y 3', 'Renca', 'no', 'confirmar']) {
        expect((await say(text)).status).toBe(200);
      }
      const deadline = Date.now() + 15_000;
      let filed: string | undefined;
      while (!filed && Date.now() < deadline) {
        const { activities } = (await (await fetch(`${url}/v3/directline/conversations/${conversationId}/activities`, { headers: auth })).json()) as { activities: { text?: string }[] };
        filed = activities.map((a) => /GA-2027-\d{6}/.exec(a.text ?? '')?.[0]).find(Boolean);
        if (!filed) await new Promise((r) => setTimeout(r, 200));
      }
      expect(filed).toBe('GA-2027-000001');
      const store = await openPostgresStore(db.url, { secret: SECRET });
      expect((await store.get(filed!))?.channel).toBe('webchat');
      await store.close();
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('stops start-up when the database cannot be reached, naming the setting, and never falls back to the file', { timeout: 30_000 }, async () => {
    const server = startProcess({ CABILDO_DB: 'postgres://cabildo:hunter2@127.0.0.1:1/nada', CABILDO_SECRET: SECRET, PORT: '0' });
    expect(await server.exited).not.toBe(0);
    expect(server.err()).toMatch(/Cannot reach the PostgreSQL database in CABILDO_DB \(postgres:\/\/cabildo:\*\*\*@127\.0\.0\.1:1\/nada\)/);
    expect(server.err()).not.toContain('hunter2');
  });
});
