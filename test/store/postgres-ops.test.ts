/**
 * Operating on PostgreSQL as an operator would: `store migrate` from a JSON store holding every
 * kind of record (twice: the second run adds nothing), a server started on the database, and an
 * unreachable database that stops start-up with the setting named.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/open.js';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { MIGRATIONS_DIR, openPostgresStore } from '../../src/store/open-postgres.js';
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

const APP_SECRET = 'meta-app-secret';

/** A fake Graph API on loopback recording what is sent, and the settings for two instances that use it. */
async function whatsAppInstances(dbUrl: string, extra: Record<string, string> = {}) {
  const sent: { to: string; body: string }[] = [];
  const graph = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as { to: string; status?: string; text?: { body: string }; interactive?: { body: { text: string } } };
      // Read receipts (with the typing indicator) are not messages to the person.
      if (body.status !== 'read') sent.push({ to: body.to, body: body.text?.body ?? body.interactive?.body.text ?? '' });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ messages: [{ id: `wamid.out${sent.length}` }] }));
    });
  });
  await new Promise<void>((r) => graph.listen(0, '127.0.0.1', r));
  const env = {
    CABILDO_DB: dbUrl, CABILDO_SECRET: SECRET, PORT: '0',
    WHATSAPP_TOKEN: 't', WHATSAPP_PHONE_NUMBER_ID: '123', WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: 'v',
    WHATSAPP_API_URL: `http://127.0.0.1:${(graph.address() as AddressInfo).port}`, WHATSAPP_JOIN_WINDOW_MS: '0', ...extra,
  };
  const servers = [startProcess(env), startProcess(env)];
  let n = 0;
  /** A signed webhook delivery of one text message. */
  const deliver = async (url: string, from: string, text: string, id = `wamid.in${++n}`) => {
    const raw = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '123' }, messages: [{ from, id, timestamp: String(1_800_000_000 + n), type: 'text', text: { body: text } }] } }] }] });
    const signature = `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`;
    return fetch(`${url}/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: raw });
  };
  const close = async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.exited));
    graph.close();
  };
  return { sent, servers, deliver, close, urls: () => Promise.all(servers.map((s) => s.listening())) };
}

const PROPOSAL = ['enviar propuesta', 'Presupuesto comunal en lenguaje claro', 'Nadie en mi comuna entiende en qué se gasta el presupuesto', 'Publicar cada trimestre el presupuesto en datos abiertos', 'Municipalidad y juntas de vecinos', 'Portal de datos y dos cabildos al año', 'Municipalidad de Renca', '1 y 3', 'Renca', 'no', 'confirmar'];

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
  await store.comment('ana', 'webchat', 'C1', 'Muy bien', NOW);
  await store.vote('beto', 'C1', 'pass', NOW);
  await store.setPriority('ana', 'C1', NOW);
  await store.invite([{ proposalId: a.id, commitmentId: 'C1' }], NOW);
  await store.respondToConsultation('C1', 'Se incorpora al plan.', 'staff:x', NOW);
  for (const k of ['ana', 'beto']) await store.signUp({ tableId: 'M1', userKey: k, channel: 'test', name: k, email: `${k}@x.cl` }, 1, NOW);
  await store.emailOutbox().unsubscribe('unsubscribed-address-key', NOW);
  await store.linkPerson(['bsuid-key', 'ana'], 'ana');
  await store.setReach('ana', NOW, '{"bsuid":"CL.1502576394655843"}');
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
    expect(first.stdout).toMatch(/^email unsubscriptions +1 in the file +1 in the database +\(1 added\)$/m);
    expect(first.stdout).toMatch(/^linked identifiers +2 in the file +2 in the database +\(2 added\)$/m);
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
        (s: Store) => s.consultationResponses(),
        (s: Store) => s.personOf('bsuid-key'),
        (s: Store) => s.reach('ana'),
      ]) {
        expect(await read(target)).toEqual(await read(source));
      }
      // Whoever unsubscribed stays unsubscribed.
      expect(await target.emailOutbox().unsubscribed('unsubscribed-address-key')).toBe(true);
      // Numbering goes on where the file left it.
      expect((await target.submit(sample(9), NOW, 2027)).id).toBe('GA-2027-000003');
    } finally {
      await source.close();
      await target.close();
    }
  });

  it('migrates a database from the previous schema version, keeping its data', async () => {
    const db = await freshDatabase();
    drops.push(db.drop);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    // Only the first version, as a database left by the previous release.
    await runner({ dbClient: client, dir: MIGRATIONS_DIR, direction: 'up', count: 1, migrationsTable: 'cabildo_migrations', log: () => {} });
    await client.query("INSERT INTO proposals (id, user_key, status, doc) VALUES ('GA-2027-000001', 'ana', 'recibida', $1)", [{ ...sample(1, 'ana'), id: 'GA-2027-000001', createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), status: 'recibida', history: [] }]);
    await client.query('INSERT INTO counters (year, last) VALUES (2027, 1)');
    // Comments written before comments had numbers.
    for (const [who, minute] of [['beto', 2], ['ana', 1]] as const) {
      await client.query("INSERT INTO opinions (user_key, commitment_id, vote, comment, at) VALUES ($1, 'C3', 'agree', $2, $3)", [who, `Comentario de ${who}`, new Date(NOW.getTime() + minute * 60_000)]);
    }
    expect((await client.query("SELECT to_regclass('deliveries') AS t")).rows[0].t).toBeNull();
    await client.end();
    const store = await openPostgresStore(db.url, { secret: SECRET });
    try {
      expect((await store.get('GA-2027-000001'))?.title).toBe('Propuesta 1');
      expect(await store.firstDelivery('whatsapp:x')).toBe(true);
      expect((await store.submit(sample(2), NOW, 2027)).id).toBe('GA-2027-000002');
      // The old comments got numbers, oldest first, and can be moderated; the next one follows them.
      expect((await store.opinions('C3')).map((o) => [o.userKey, o.commentNo]).sort()).toEqual([['ana', 1], ['beto', 2]]);
      expect(await store.setCommentHidden({ commitmentId: 'C3', commentNo: 1 }, 'Spam', 'staff:x', NOW)).toBe('changed');
      await store.vote('carla', 'C3', 'pass', NOW);
      await store.comment('carla', 'webchat', 'C3', 'Nuevo', NOW);
      expect((await store.opinionsOf('carla'))[0]?.commentNo).toBe(3);
    } finally {
      await store.close();
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

  it('two instances on one database: a delivery sent to both is answered once, and a person alternating between them keeps one conversation', { timeout: 90_000 }, async () => {
    const db = await freshDatabase();
    drops.push(db.drop);
    const { sent, deliver, close, urls: listening } = await whatsAppInstances(db.url);
    try {
      const urls = await listening();
      const replies = async (count: number) => {
        const deadline = Date.now() + 15_000;
        while (sent.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        await new Promise((r) => setTimeout(r, 500)); // and nothing more arrives
        return sent.length;
      };
      // The same delivery (Meta retrying) reaches both instances at once: one answer.
      const same = await Promise.all(urls.map((url) => deliver(url, '56911112222', '¿qué es la OGP?', 'wamid.same')));
      expect(same.map((r) => r.status)).toEqual([200, 200]);
      expect(await replies(1)).toBe(1);
      // One person's proposal, each message to the other instance.
      for (const [i, text] of PROPOSAL.entries()) {
        const before = sent.length;
        expect((await deliver(urls[i % 2]!, '56911112222', text)).status).toBe(200);
        await replies(before + 1);
      }
      expect(sent.at(-1)!.body).toMatch(/GA-2027-000001/);
      const store = await openPostgresStore(db.url, { secret: SECRET });
      expect((await store.list()).map((p) => p.title)).toEqual(['Presupuesto comunal en lenguaje claro']);
      await store.close();
    } finally {
      await close();
    }
  });

  it('two instances serve one web-chat conversation whose requests alternate between them, with one welcome', { timeout: 90_000 }, async () => {
    const db = await freshDatabase();
    drops.push(db.drop);
    const servers = [startProcess({ CABILDO_DB: db.url, CABILDO_SECRET: SECRET, PORT: '0' }), startProcess({ CABILDO_DB: db.url, CABILDO_SECRET: SECRET, PORT: '0' })];
    try {
      const urls = await Promise.all(servers.map((s) => s.listening()));
      let turn = 0;
      const next = () => `${urls[turn++ % 2]}/v3/directline`;
      const { token } = (await (await fetch(`${next()}/tokens/generate`, { method: 'POST' })).json()) as { token: string };
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      // Web Chat starts the conversation; a retry landing on the other instance must not welcome twice.
      const started = await Promise.all([fetch(`${next()}/conversations`, { method: 'POST', headers: auth }), fetch(`${next()}/conversations`, { method: 'POST', headers: auth })]);
      const { conversationId } = (await started[0]!.json()) as { conversationId: string };
      expect(started.map((r) => r.status)).toEqual([201, 201]);
      let watermark = 0;
      const seen: { text?: string; from?: { role?: string } }[] = [];
      const poll = async () => {
        const page = (await (await fetch(`${next()}/conversations/${conversationId}/activities?watermark=${watermark}`, { headers: auth })).json()) as { activities: { text?: string; from?: { role?: string } }[]; watermark: string };
        seen.push(...page.activities);
        watermark = Number(page.watermark);
      };
      for (const text of PROPOSAL) {
        const posted = await fetch(`${next()}/conversations/${conversationId}/activities`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'message', from: { id: 'x' }, text }) });
        expect(posted.status).toBe(200);
        await poll();
      }
      await poll();
      const botTexts = seen.filter((a) => a.from?.role === 'bot').map((a) => a.text ?? '');
      expect(botTexts.filter((t) => /¿En qué te ayudo\?/.test(t))).toHaveLength(1);
      expect(botTexts.at(-1)).toMatch(/GA-2027-000001/);
      // Every activity once, in order: the person's 11 messages each followed by the bot's answer(s).
      expect(seen.filter((a) => a.from?.role === 'user').map((a) => a.text)).toEqual(PROPOSAL);
    } finally {
      for (const s of servers) s.child.kill('SIGTERM');
      await Promise.all(servers.map((s) => s.exited));
    }
  });

  it('SIGKILL of one instance during 200 concurrent proposals: every number a person got is stored once, and the other instance goes on', { timeout: 180_000 }, async () => {
    const db = await freshDatabase();
    drops.push(db.drop);
    const { sent, servers, deliver, close, urls: listening } = await whatsAppInstances(db.url, { CABILDO_DB_POOL: '20' });
    try {
      const urls = await listening();
      const send = (url: string, from: string, text: string) => deliver(url, from, text).catch(() => undefined);
      const people = Array.from({ length: 200 }, (_, i) => ({ phone: `5699${String(i).padStart(7, '0')}`, url: urls[i % 2]! }));
      const repliesTo = (phone: string) => sent.filter((m) => m.to === phone).length;
      // Everyone fills the form up to the summary, waiting for each answer.
      for (const [step, text] of PROPOSAL.slice(0, -1).entries()) {
        await Promise.all(people.map((p) => send(p.url, p.phone, text)));
        const deadline = Date.now() + 30_000;
        while (people.some((p) => repliesTo(p.phone) < step + 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      }
      // All 200 confirm at once; instance 0 is killed once it has filed some, so others are mid-write.
      const confirmations = Promise.all(people.map((p) => send(p.url, p.phone, 'confirmar')));
      const onFirst = new Set(people.filter((p) => p.url === urls[0]).map((p) => p.phone));
      const killAt = Date.now() + 20_000;
      while (sent.filter((m) => onFirst.has(m.to) && /GA-2027-/.test(m.body)).length < 10 && Date.now() < killAt) await new Promise((r) => setTimeout(r, 5));
      servers[0]!.child.kill('SIGKILL');
      await confirmations;
      await new Promise((r) => setTimeout(r, 3000));

      const received = sent.map((m) => /GA-2027-\d{6}/.exec(m.body)?.[0]).filter((id): id is string => !!id);
      const store = await openPostgresStore(db.url, { secret: SECRET });
      const stored = (await store.list()).map((p) => p.id);
      expect(new Set(stored).size).toBe(stored.length);
      for (const id of received) expect(stored).toContain(id);
      // The survivor answered everyone who wrote to it, and still answers.
      expect(people.filter((p) => p.url === urls[1]).every((p) => sent.some((m) => m.to === p.phone && /GA-2027-/.test(m.body)))).toBe(true);
      const before = sent.length;
      await send(urls[1]!, '56980000000', 'hola');
      const deadline = Date.now() + 10_000;
      while (sent.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(sent.length).toBeGreaterThan(before);
      console.log(`SIGKILL run: ${stored.length} stored, ${received.length} numbers received by people`);
      await store.close();
    } finally {
      await close();
    }
  });

  it('stops start-up when the database cannot be reached, naming the setting, and never falls back to the file', { timeout: 30_000 }, async () => {
    const server = startProcess({ CABILDO_DB: 'postgres://cabildo:hunter2@127.0.0.1:1/nada', CABILDO_SECRET: SECRET, PORT: '0' });
    expect(await server.exited).not.toBe(0);
    expect(server.err()).toMatch(/Cannot reach the PostgreSQL database in CABILDO_DB \(postgres:\/\/cabildo:\*\*\*@127\.0\.0\.1:1\/nada\)/);
    expect(server.err()).not.toContain('hunter2');
  });
});
