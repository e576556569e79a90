/**
 * The Direct Line endpoint driven by the real client library, `botframework-directlinejs`, in
 * Node (it needs an XMLHttpRequest polyfill, and a WebSocket constructor even when polling).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PROPOSAL_ANSWERS } from '../helpers/conversation.js';
import { testServer, type TestServer } from '../helpers/server.js';

const require = createRequire(import.meta.url);
(globalThis as Record<string, unknown>).XMLHttpRequest ??= require('xhr2');
(globalThis as Record<string, unknown>).WebSocket ??= WebSocket;
const { DirectLine } = require('botframework-directlinejs') as typeof import('botframework-directlinejs');

interface Received {
  from: { id: string };
  text?: string;
  suggestedActions?: { actions: { value: string }[] };
}

/** A person in the web chat: the real client, its stream, and a way to wait for bot replies. */
async function visitor(server: TestServer, credential?: string) {
  const res = await fetch(`${server.url}/v3/directline/tokens/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credential ? { credential } : {}),
  });
  const issued = (await res.json()) as { token: string; conversationId: string; user: { id: string }; credential: string };
  const { token, conversationId } = issued;
  const userId = issued.user.id;
  const client = new DirectLine({ domain: `${server.url}/v3/directline`, token, webSocket: false, pollingInterval: 200 });
  const received: Received[] = [];
  const subscription = client.activity$.subscribe((a) => received.push(a as Received));
  const botReplies = () => received.filter((a) => a.from.id !== userId);
  async function until(count: number): Promise<Received[]> {
    const deadline = Date.now() + 10_000;
    while (botReplies().length < count) {
      if (Date.now() > deadline) throw new Error(`waited for ${count} bot replies, got ${botReplies().length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return botReplies();
  }
  return {
    token,
    conversationId,
    userId,
    credential: issued.credential,
    received,
    async say(text: string): Promise<Received[]> {
      const before = botReplies().length;
      await new Promise<void>((done, fail) => client.postActivity({ type: 'message', from: { id: userId }, text } as never).subscribe({ next: () => done(), error: fail }));
      return (await until(before + 1)).slice(before);
    },
    welcome: () => until(1),
    end() {
      subscription.unsubscribe();
      client.end();
    },
  };
}

describe('Direct Line endpoint with botframework-directlinejs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('welcomes, answers a question with suggested actions, and echoes the user message', async () => {
    const ana = await visitor(server);
    const [welcome] = await ana.welcome();
    expect(welcome!.text).toMatch(/Cabildo/);
    expect(welcome!.suggestedActions!.actions.map((a) => a.value)).toContain('Enviar propuesta');
    const [answer] = await ana.say('¿qué es la OGP?');
    expect(answer!.text).toMatch(/2011/);
    expect(ana.received.some((a) => a.from.id === ana.userId && a.text === '¿qué es la OGP?')).toBe(true);
    ana.end();
  });

  it('files a full proposal that ends up in the store', async () => {
    const beto = await visitor(server);
    await beto.welcome();
    await beto.say('Enviar propuesta');
    for (const a of PROPOSAL_ANSWERS) await beto.say(a);
    await beto.say('No');
    const [done] = await beto.say('Confirmar');
    const id = /GA-\d{4}-\d{6}/.exec(done!.text!)![0];
    const stored = JSON.parse(readFileSync(server.dbFile, 'utf8')).proposals.find((p: { id: string }) => p.id === id);
    expect(stored).toMatchObject({ channel: 'webchat', title: PROPOSAL_ANSWERS[0] });
    expect(JSON.stringify(stored)).not.toContain(beto.userId);
    beto.end();
  });

  it('keeps each token to its own conversation', async () => {
    const a = await visitor(server);
    const b = await visitor(server);
    const get = (token: string, id: string) => fetch(`${server.url}/v3/directline/conversations/${id}/activities?watermark=0`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get(a.token, a.conversationId)).status).toBe(200);
    expect((await get(a.token, b.conversationId)).status).toBe(403);
    expect((await get('not-a-token', a.conversationId)).status).toBe(403);
    expect((await fetch(`${server.url}/v3/directline/conversations/${a.conversationId}/activities`)).status).toBe(401);
    a.end();
    b.end();
  });

  it('answers malformed, incomplete and oversized requests with 4xx and keeps serving', async () => {
    const c = await visitor(server);
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/v3/directline/conversations/${c.conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', ...headers },
        body,
      });
    expect((await post('{"type": "mess')).status).toBe(400);
    expect((await post('{}')).status).toBe(400);
    expect((await post('[1,2,3]')).status).toBe(400);
    const tooLong = await post(JSON.stringify({ type: 'message', text: 'a'.repeat(20_001) }));
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ error: { code: 'MessageTooLong' } });
    expect((await post(JSON.stringify({ type: 'message', text: 'a'.repeat(200_000) }))).status).toBe(413);
    expect((await fetch(`${server.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"credential":"<script>"}' })).status).toBe(400);
    const [reply] = await c.say('hola');
    expect(reply!.text).toMatch(/Cabildo/);
    c.end();
  });

  it('reports health', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, intentsLoaded: true, store: { ok: true } });
  });
});

describe('limits', () => {
  it('rate-limits token requests per IP with 429 and Retry-After', async () => {
    const server = await testServer({ CABILDO_TOKENS_PER_IP_PER_MINUTE: '3' });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${server.url}/v3/directline/tokens/generate`, { method: 'POST' });
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    await server.close();
  });

  it('allows CORS only for the configured origins', async () => {
    const server = await testServer({ CABILDO_ALLOWED_ORIGINS: 'https://www.municipio.cl' });
    const preflight = (origin: string) =>
      fetch(`${server.url}/v3/directline/tokens/generate`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const ok = await preflight('https://www.municipio.cl');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://www.municipio.cl');
    const other = await preflight('https://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await server.close();
  });

  it('refuses a malformed setting at start-up, naming the variable', async () => {
    await expect(testServer({ CABILDO_ALLOWED_ORIGINS: 'municipio.cl/' })).rejects.toThrow(/CABILDO_ALLOWED_ORIGINS/);
    await expect(testServer({ PORT: 'ochenta' })).rejects.toThrow(/PORT must be a whole number/);
  });
});
