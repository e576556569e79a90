/**
 * The web chat's doors as an attacker tries them: `/api/messages` without credentials, a
 * Direct Line token used to mint more, and a web user id guessed or copied from someone else.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readServerSettings } from '../../adapters/server/settings.js';
import { WebIdentities } from '../../adapters/webchat/web-identity.js';
import { testServer, type TestServer } from '../helpers/server.js';

/** A loopback HTTP server that records every request: a Bot Connector, or an attacker's sink. */
async function sink(): Promise<{ url: string; received: { path: string; body: { text?: string } }[]; close(): void }> {
  const received: { path: string; body: { text?: string } }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(body || '{}') });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: `r-${received.length}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => server.close() };
}

const activity = (serviceUrl: string, extra: Record<string, unknown>) => ({
  type: 'message', id: 'a1', channelId: 'emulator', serviceUrl,
  from: { id: 'victim' }, recipient: { id: 'bot' }, conversation: { id: 'c1' }, ...extra,
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function generate(server: TestServer, body: unknown = {}, headers: Record<string, string> = {}) {
  const res = await post(`${server.url}/v3/directline/tokens/generate`, body, headers);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json()) as { token: string; conversationId: string; user: { id: string }; credential: string } };
}

describe('/api/messages', () => {
  let target: Awaited<ReturnType<typeof sink>>;
  let server: TestServer | undefined;
  beforeAll(async () => {
    target = await sink();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  afterAll(() => target.close());

  it('is off without app credentials: 404, and nothing is sent anywhere', async () => {
    server = await testServer();
    for (const body of [
      activity(target.url, { text: 'mis datos' }),
      activity(target.url, { type: 'conversationUpdate', membersAdded: Array.from({ length: 50 }, (_, i) => ({ id: `m${i}` })) }),
      {},
      { type: 'message' },
    ]) {
      expect((await post(`${server.url}/api/messages`, body)).status).toBe(404);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(target.received).toHaveLength(0);
  });

  it('in Emulator mode answers malformed activities with 400, never 5xx', async () => {
    server = await testServer({ BOT_EMULATOR: '1' });
    for (const body of [{}, { type: 'message' }, '[]', 'null', activity('not a url', { text: 'hola' }), activity(target.url, { from: null })]) {
      expect((await post(`${server.url}/api/messages`, body)).status).toBe(400);
    }
  });

  it('in Emulator mode sends replies to this machine only, and one welcome however many members join', async () => {
    server = await testServer({ BOT_EMULATOR: '1' });
    expect((await post(`${server.url}/api/messages`, activity('https://evil.example/hook', { text: 'hola' }))).status).toBe(400);
    const before = target.received.length;
    const res = await post(`${server.url}/api/messages`, activity(target.url, { type: 'conversationUpdate', membersAdded: Array.from({ length: 50 }, (_, i) => ({ id: `m${i}` })) }));
    expect(res.status).toBe(200);
    expect(target.received.length - before).toBe(1);
    // Behind a proxy on this machine every caller looks local: a forwarded request is refused.
    expect((await post(`${server.url}/api/messages`, activity(target.url, { text: 'hola' }), { 'x-forwarded-for': '203.0.113.9' })).status).toBe(404);
  });

  it('never reaches a web-chat person: the same id on /api/messages is someone else', async () => {
    server = await testServer({ BOT_EMULATOR: '1' });
    const { json } = await generate(server);
    await server.store.submit(
      { title: 'Luminarias', problem: 'p', description: 'd', actors: 'a', components: 'c', institution: 'i', pillars: ['transparency'], territory: 'Maipú', channel: 'webchat', userKey: server.engine.userKey('webchat', json.user.id), consent: true, contact: { email: 'victima@correo.cl' } },
      new Date(),
    );
    const before = target.received.length;
    await post(`${server.url}/api/messages`, activity(target.url, { from: { id: json.user.id }, text: 'mis datos' }));
    const replies = target.received.slice(before).map((r) => r.body.text ?? '').join('\n');
    expect(replies).not.toContain('victima@correo.cl');
    expect(replies).not.toContain('Luminarias');
  });

  it('refuses BOT_EMULATOR=1 in production', () => {
    expect(() => readServerSettings({ BOT_EMULATOR: '1', NODE_ENV: 'production' })).toThrow(/BOT_EMULATOR/);
  });
});

describe('Direct Line tokens', () => {
  it('a refresh replaces the token: 2,000 refreshes with one token give one new token, and the registry holds one', async () => {
    const server = await testServer({ CABILDO_TOKENS_PER_IP_PER_MINUTE: '100000' });
    const { json } = await generate(server);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const res = await fetch(`${server.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${json.token}` } });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      await res.arrayBuffer();
    }
    expect(statuses.get(200)).toBe(1);
    expect(statuses.get(403)).toBe(1999);
    expect((await server.stats()).webchatTokens).toBe(1);
    await server.close();
  });

  it('following each new token, refreshes are rate-limited per conversation with 429 and Retry-After', async () => {
    const server = await testServer({ CABILDO_TOKENS_PER_IP_PER_MINUTE: '100000' });
    let { token } = (await generate(server)).json;
    let ok = 0;
    let limited: Response | undefined;
    for (let i = 0; i < 50 && !limited; i++) {
      const res = await fetch(`${server.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      if (res.status === 200) {
        ok++;
        token = ((await res.json()) as { token: string }).token;
      } else limited = res;
    }
    expect(ok).toBeLessThanOrEqual(5);
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await server.stats()).webchatTokens).toBe(1);
    await server.close();
  });

  it('starting or resuming a conversation mints no token', async () => {
    const server = await testServer();
    const { json } = await generate(server);
    const auth = { authorization: `Bearer ${json.token}` };
    for (let i = 0; i < 20; i++) {
      const started = (await (await fetch(`${server.url}/v3/directline/conversations`, { method: 'POST', headers: auth })).json()) as { token: string };
      const resumed = (await (await fetch(`${server.url}/v3/directline/conversations/${json.conversationId}`, { headers: auth })).json()) as { token: string };
      expect(started.token).toBe(json.token);
      expect(resumed.token).toBe(json.token);
    }
    expect((await server.stats()).webchatTokens).toBe(1);
    await server.close();
  });

  it('has a hard cap on conversations: 503 with Retry-After when full', async () => {
    const server = await testServer({ CABILDO_MAX_CONVERSATIONS: '3' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await generate(server));
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 200, 503]);
    expect(Number(statuses[3]!.retryAfter)).toBeGreaterThan(0);
    await server.close();
  });
});

describe('web user ids', () => {
  it('are issued by the server: a chosen, altered or foreign id is a new person, and the real one comes back', async () => {
    const server = await testServer();
    const origin = { origin: 'https://www.municipio.cl' };
    const victim = (await generate(server, {}, origin)).json;
    await server.engine.handle({ channel: 'webchat', userId: victim.user.id, text: 'hola' });
    await server.store.submit(
      { title: 'Luminarias', problem: 'p', description: 'd', actors: 'a', components: 'c', institution: 'i', pillars: ['transparency'], territory: 'Maipú', channel: 'webchat', userKey: server.engine.userKey('webchat', victim.user.id), consent: true, contact: { email: 'victima@correo.cl' } },
      new Date(),
    );
    // The page reloads: the same person.
    expect((await generate(server, { credential: victim.credential }, origin)).json.user.id).toBe(victim.user.id);
    const altered = victim.credential.replace(/^(w1\.)(.)/, (_m, p: string, c: string) => `${p}${c === 'A' ? 'B' : 'A'}`);
    const attempts = [
      await generate(server, { user: { id: victim.user.id } }, origin),
      await generate(server, { credential: altered }, origin),
      await generate(server, { credential: victim.credential }, { origin: 'https://evil.example' }),
      await generate(server, { credential: victim.credential }),
    ];
    for (const { status, json } of attempts) {
      expect(status).toBe(200);
      expect(json.user.id).not.toBe(victim.user.id);
      const { replies } = await server.engine.handle({ channel: 'webchat', userId: json.user.id, text: 'mis datos' });
      expect(replies.map((r) => r.text).join('\n')).not.toContain('victima@correo.cl');
    }
    await server.close();
  });

  it('expire after the configured time without a visit, and each visit pushes the expiry back', () => {
    let now = 0;
    const day = 24 * 60 * 60_000;
    const ids = new WebIdentities((m) => `mac-${m.length}-${m}`.replace(/[^\w-]/g, '').slice(0, 40), 30 * day, () => now);
    const first = ids.issue('');
    now = 29 * day;
    const again = ids.verify(first.signed, '');
    expect(again?.userId).toBe(first.userId);
    now = 50 * day;
    expect(ids.verify(again!.signed, '')?.userId).toBe(first.userId);
    expect(ids.verify(first.signed, '')).toBeUndefined();
  });
});
