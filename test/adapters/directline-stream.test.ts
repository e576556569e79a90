/**
 * Direct Line's WebSocket stream, driven by the real client library (`botframework-directlinejs`)
 * over real sockets (`ws`) against a real server: replies pushed as they happen, a dropped socket
 * resumed with no lost or repeated activity, refused tokens, bounds, dead sockets dropped,
 * polling still served, and (with PostgreSQL) a reply made on one instance pushed by another.
 */
import { existsSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../adapters/server/index.js';
import { readServerSettings } from '../../adapters/server/settings.js';
import { createEngine, type Engine } from '../../src/index.js';
import { silentLogger } from '../../src/logger.js';
import { openPostgresStore } from '../../src/store/open-postgres.js';
import { ROOT, TestClock } from '../helpers/conversation.js';
import { freshDatabase, pgSkipReason } from '../helpers/postgres.js';
import { testServer, type TestServer } from '../helpers/server.js';

const require = createRequire(import.meta.url);
const XHR = require('xhr2') as { new (): XMLHttpRequest };
/** Every HTTP request the client library makes, as "METHOD path?query". */
const requests: string[] = [];
class RecordingXHR extends XHR {
  override open(method: string, url: string | URL, ...rest: unknown[]): void {
    const u = new URL(String(url));
    requests.push(`${method} ${u.pathname}${u.search}`);
    (super.open as (...args: unknown[]) => void)(method, url, ...rest);
  }
}
(globalThis as Record<string, unknown>).XMLHttpRequest = RecordingXHR;
(globalThis as Record<string, unknown>).WebSocket ??= WebSocket;
const { DirectLine } = require('botframework-directlinejs') as typeof import('botframework-directlinejs');

/** Every socket the client library opens, so a test can see its URL or cut it. */
const sockets: WebSocket[] = [];
class RecordingWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    sockets.push(this);
  }
}

interface Received {
  id: string;
  from: { id: string };
  text?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => T | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function issue(url: string): Promise<{ token: string; conversationId: string; userId: string }> {
  const res = await fetch(`${url}/v3/directline/tokens/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const body = (await res.json()) as { token: string; conversationId: string; user: { id: string } };
  return { token: body.token, conversationId: body.conversationId, userId: body.user.id };
}

/** A person in the web chat through the real client, streaming unless `polling`. */
async function visitor(url: string, options: { polling?: boolean } = {}) {
  const { token, conversationId, userId } = await issue(url);
  const client = new DirectLine({
    domain: `${url}/v3/directline`,
    token,
    webSocket: !options.polling,
    pollingInterval: 200,
    // The library's own services: our recording socket, and the shortest reconnect delay (3 s).
    WebSocket: RecordingWebSocket,
    random: () => 0,
  } as never);
  const received: Received[] = [];
  const subscription = client.activity$.subscribe((a) => received.push(a as Received));
  const botReplies = () => received.filter((a) => a.from.id !== userId);
  return {
    token,
    conversationId,
    userId,
    received,
    botReplies,
    client,
    async post(text: string): Promise<void> {
      await new Promise<void>((done, fail) => client.postActivity({ type: 'message', from: { id: userId }, text } as never).subscribe({ next: () => done(), error: fail }));
    },
    async say(text: string): Promise<Received> {
      const before = botReplies().length;
      await this.post(text);
      return until(`a reply to "${text}"`, () => botReplies()[before]);
    },
    end() {
      subscription.unsubscribe();
      client.end();
    },
  };
}

/** The conversation's whole stream, as the server keeps it. */
async function stream(url: string, token: string, conversationId: string): Promise<Received[]> {
  const res = await fetch(`${url}/v3/directline/conversations/${conversationId}/activities?watermark=0`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { activities: Received[] }).activities;
}

/** Starts the conversation over HTTP and returns its stream URL (what the client library does first). */
async function started(url: string): Promise<{ streamUrl: string; token: string; conversationId: string }> {
  const { token, conversationId } = await issue(url);
  const res = await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(201);
  const { streamUrl } = (await res.json()) as { streamUrl: string };
  return { streamUrl, token, conversationId };
}

/** Opens a raw socket: the HTTP status it was refused with, or the open socket. */
function connect(streamUrl: string, options: WebSocket.ClientOptions = {}): Promise<{ status: number; socket?: WebSocket; messages: string[] }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(streamUrl, options);
    const messages: string[] = [];
    socket.on('message', (data) => messages.push(String(data)));
    socket.once('open', () => resolve({ status: 101, socket, messages }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, messages });
      socket.terminate();
    });
    socket.once('error', () => resolve({ status: 0, messages }));
  });
}

describe('Direct Line WebSocket stream', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('gives a streamUrl on start and pushes the reply over the socket, with no polling', async () => {
    requests.length = 0;
    const ana = await visitor(server.url);
    const welcome = await until('the welcome', () => ana.botReplies()[0]);
    expect(welcome.text).toMatch(/Cabildo/);
    const socket = await until('a socket', () => sockets.find((s) => s.url.includes(ana.conversationId)));
    expect(socket.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${ana.conversationId}/stream\\?t=s1\\.`));
    // The stream URL never carries the conversation's token.
    expect(socket.url).not.toContain(ana.token);
    const pushed: string[] = [];
    socket.on('message', (data) => pushed.push(String(data)));
    const answer = await ana.say('¿qué es la OGP?');
    expect(answer.text).toMatch(/2011/);
    // The reply came in an activity set on the socket, and nothing polled.
    const sets = pushed.filter(Boolean).map((m) => JSON.parse(m) as { activities: Received[]; watermark: string });
    expect(sets.flatMap((s) => s.activities).map((a) => a.text)).toContain(answer.text);
    expect(Number(sets.at(-1)!.watermark)).toBeGreaterThan(0);
    expect(requests.filter((r) => r.includes('/activities') && r.startsWith('GET'))).toEqual([]);
    // The user's own message is echoed in the stream, as Web Chat expects, once.
    expect(ana.received.filter((a) => a.from.id === ana.userId && a.text === '¿qué es la OGP?')).toHaveLength(1);
    ana.end();
  });

  it('resumes a dropped socket with the watermark: nothing lost, nothing repeated', async () => {
    requests.length = 0;
    const beto = await visitor(server.url);
    await until('the welcome', () => beto.botReplies()[0]);
    await beto.say('hola');
    const first = await until('a socket', () => sockets.find((s) => s.url.includes(beto.conversationId) && s.readyState === WebSocket.OPEN));
    const seenBefore = beto.received.length;
    // The network drops: the socket dies under the client.
    first.terminate();
    // Meanwhile the person writes (posting is HTTP) and the bot answers into the stream.
    await beto.post('¿qué es la OGP?');
    await beto.post('fechas');
    const kept = await stream(server.url, beto.token, beto.conversationId);
    expect(kept.length).toBe(seenBefore + 4);
    expect(beto.received.length).toBe(seenBefore);
    // The client reconnects (GET with its watermark), gets a fresh streamUrl and catches up.
    await until('the catch-up', () => beto.received.length >= kept.length, 20_000);
    expect(requests).toContain(`GET /v3/directline/conversations/${beto.conversationId}?watermark=${seenBefore}`);
    const second = sockets.filter((s) => s.url.includes(beto.conversationId)).at(-1)!;
    expect(second).not.toBe(first);
    expect(second.url).toContain(`watermark=${seenBefore}`);
    await sleep(300);
    expect(beto.received.map((a) => a.id)).toEqual(kept.map((a) => a.id));
    // And the new socket carries on.
    const next = await beto.say('gracias');
    expect(beto.received.map((a) => a.id)).toEqual((await stream(server.url, beto.token, beto.conversationId)).map((a) => a.id));
    expect(next.text).toBeTruthy();
    beto.end();
  }, 30_000);

  it("refuses a wrong, altered, expired or another conversation's stream token", async () => {
    const a = await started(server.url);
    const b = await started(server.url);
    const wrong = new URL(a.streamUrl);
    wrong.searchParams.set('t', 's1.zzzzzz.AAAAAAAAAAAAAAAAAAAAAA');
    expect((await connect(wrong.toString())).status).toBe(403);
    const altered = new URL(a.streamUrl);
    altered.searchParams.set('t', `${altered.searchParams.get('t')!.slice(0, -1)}${altered.searchParams.get('t')!.endsWith('A') ? 'B' : 'A'}`);
    expect((await connect(altered.toString())).status).toBe(403);
    // The conversation's own token is not a stream token: tokens stay out of URLs.
    const withToken = new URL(a.streamUrl);
    withToken.searchParams.set('t', a.token);
    expect((await connect(withToken.toString())).status).toBe(403);
    const none = new URL(a.streamUrl);
    none.searchParams.delete('t');
    expect((await connect(none.toString())).status).toBe(403);
    // A's stream token on B's conversation.
    expect((await connect(a.streamUrl.replace(a.conversationId, b.conversationId))).status).toBe(403);
    // Correctly signed but expired.
    const past = Math.floor(Date.now() / 1000 - 5).toString(36);
    const expired = new URL(a.streamUrl);
    expired.searchParams.set('t', `s1.${past}.${server.engine.userKey('directline-stream', `${a.conversationId}.${past}`)}`);
    expect((await connect(expired.toString())).status).toBe(403);
    // Not a stream at all.
    expect((await connect(a.streamUrl.replace('/stream', '/activities'))).status).toBe(404);
    // A request target Node's parser accepts and URL refuses: an answer, not a crash.
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = netConnect(Number(new URL(server.url).port), '127.0.0.1', () =>
        socket.write('GET http://[ HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'),
      );
      let got = '';
      socket.on('data', (d: Buffer) => (got += d.toString())).on('close', () => resolve(got)).on('error', reject);
      setTimeout(() => socket.destroy(), 2000);
    });
    expect(raw).not.toMatch(/^HTTP\/1\.1 101/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // The right one opens and sends the welcome.
    const ok = await connect(a.streamUrl);
    expect(ok.status).toBe(101);
    await until('the welcome', () => ok.messages.find(Boolean));
    expect(JSON.parse(ok.messages.find(Boolean)!)).toMatchObject({ activities: [{ text: expect.stringMatching(/Cabildo/) }], watermark: '1' });
    ok.socket!.close();
  });

  it('bounds the sockets per conversation', async () => {
    const a = await started(server.url);
    // Four at once: three open, one refused, however the upgrades interleave.
    const attempts = await Promise.all(Array.from({ length: 4 }, () => connect(a.streamUrl)));
    expect(attempts.map((o) => o.status).sort()).toEqual([101, 101, 101, 429]);
    const open = attempts.filter((o) => o.status === 101);
    expect((await connect(a.streamUrl)).status).toBe(429);
    // Another conversation is not affected.
    const b = await connect((await started(server.url)).streamUrl);
    expect(b.status).toBe(101);
    open[0]!.socket!.close();
    await sleep(100);
    const again = await connect(a.streamUrl);
    expect(again.status).toBe(101);
    for (const o of [...open.slice(1), b, again]) o.socket!.close();
  });

  it('keeps polling working for clients that ask for it', async () => {
    requests.length = 0;
    const before = sockets.length;
    const carla = await visitor(server.url, { polling: true });
    await until('the welcome', () => carla.botReplies()[0]);
    const answer = await carla.say('¿qué es la OGP?');
    expect(answer.text).toMatch(/2011/);
    expect(requests.some((r) => r.startsWith(`GET /v3/directline/conversations/${carla.conversationId}/activities?watermark=`))).toBe(true);
    expect(sockets.length).toBe(before);
    carla.end();
  });
});

describe('Direct Line stream limits and liveness', () => {
  it('refuses sockets past CABILDO_MAX_SOCKETS with 503', async () => {
    const server = await testServer({ CABILDO_MAX_SOCKETS: '2' });
    const one = await connect((await started(server.url)).streamUrl);
    const two = await connect((await started(server.url)).streamUrl);
    expect([one.status, two.status]).toEqual([101, 101]);
    expect((await connect((await started(server.url)).streamUrl)).status).toBe(503);
    one.socket!.close();
    await sleep(100);
    const three = await connect((await started(server.url)).streamUrl);
    expect(three.status).toBe(101);
    two.socket!.close();
    three.socket!.close();
    await server.close();
  });

  it('drops a socket that stops answering pings, keeps a live one with empty keep-alives', { timeout: 20_000 }, async () => {
    const server = await testServer({}, (s) => {
      s.webchat.streamHeartbeatMs = 1000;
    });
    const live = await connect((await started(server.url)).streamUrl);
    const dead = await connect((await started(server.url)).streamUrl, { autoPong: false });
    const closed = new Promise<number>((resolve) => dead.socket!.once('close', (code) => resolve(code)));
    const code = await Promise.race([closed, sleep(8000).then(() => -1)]);
    // Terminated, not closed politely: the peer is presumed gone.
    expect(code).toBe(1006);
    expect(live.socket!.readyState).toBe(WebSocket.OPEN);
    expect(live.messages.filter((m) => m === '').length).toBeGreaterThanOrEqual(2);
    live.socket!.close();
    await server.close();
  });

  it('closes its sockets as "going away" when the server stops, without waiting for them', async () => {
    const server = await testServer();
    const open = await connect((await started(server.url)).streamUrl);
    const closed = new Promise<number>((resolve) => open.socket!.once('close', (code) => resolve(code)));
    const t0 = Date.now();
    await server.close();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await closed).toBe(1001);
  });
});

describe('the stream URL behind a TLS proxy', () => {
  it('points at CABILDO_PUBLIC_URL with wss, or at what a trusted proxy forwarded, never at the upstream address', async () => {
    const withPublic = await testServer({ CABILDO_PUBLIC_URL: 'https://consulta.municipio.cl' });
    try {
      // nginx passes its upstream as Host by default: the browser must not be sent there.
      const { streamUrl } = await started(withPublic.url);
      expect(streamUrl).toMatch(/^wss:\/\/consulta\.municipio\.cl\/v3\/directline\/conversations\/[\w-]+\/stream\?t=s1\./);
    } finally {
      await withPublic.close();
    }
    const proxied = await testServer({ CABILDO_TRUST_PROXY: '1' });
    try {
      const { token } = await issue(proxied.url);
      const headers = { authorization: `Bearer ${token}`, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.municipio.cl' };
      const res = await fetch(`${proxied.url}/v3/directline/conversations`, { method: 'POST', headers });
      expect(((await res.json()) as { streamUrl: string }).streamUrl).toMatch(/^wss:\/\/chat\.municipio\.cl\/v3\/directline\//);
    } finally {
      await proxied.close();
    }
    // Not trusted: forwarded headers are ignored.
    const direct = await testServer();
    try {
      const { token } = await issue(direct.url);
      const res = await fetch(`${direct.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' } });
      expect(((await res.json()) as { streamUrl: string }).streamUrl).toMatch(new RegExp(`^ws://${new URL(direct.url).host.replace(/\./g, '\\.')}/`));
    } finally {
      await direct.close();
    }
  }, 60_000);
});

describe.skipIf(pgSkipReason !== undefined)('Direct Line stream on two instances sharing PostgreSQL', () => {
  const SECRET = 'stream-test-secret-0123456789';
  let drop: () => Promise<void> = async () => {};
  const servers: RunningServer[] = [];

  async function instance(url: string): Promise<RunningServer & { engine: Engine }> {
    const store = await openPostgresStore(url, { secret: SECRET });
    const engine = await createEngine({ contentDir: ROOT, store, clock: new TestClock().now });
    const server = await startServer({ engine, store, logger: silentLogger }, readServerSettings({ PORT: '0', HOST: '127.0.0.1' }));
    servers.push(server);
    return { ...server, engine };
  }

  afterAll(async () => {
    for (const s of servers) await s.close();
    await drop();
  });

  it('pushes on instance A a reply produced on instance B', async () => {
    const db = await freshDatabase();
    drop = db.drop;
    const a = await instance(db.url);
    const b = await instance(db.url);
    const dora = await visitor(a.url);
    await until('the welcome', () => dora.botReplies()[0]);
    const socket = await until('a socket', () => sockets.find((s) => s.url.includes(dora.conversationId) && s.readyState === WebSocket.OPEN));
    expect(socket.url).toContain(new URL(a.url).host);
    // The message goes to B (a load balancer's choice); B runs the turn and appends the reply.
    const res = await fetch(`${b.url}/v3/directline/conversations/${dora.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dora.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: '¿qué es la OGP?' }),
    });
    expect(res.status).toBe(200);
    // Pushed by A on B's notification, well before A's 30 s safety-net read would find it.
    const reply = await until('the reply from B', () => dora.botReplies().find((r) => /2011/.test(r.text ?? '')), 10_000);
    expect(reply.text).toMatch(/2011/);
    const ids = dora.received.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    dora.end();
  }, 60_000);
});

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserAvailable = existsSync(CHROMIUM);
if (!browserAvailable && process.env.CABILDO_REQUIRE_BROWSER === '1') throw new Error(`CABILDO_REQUIRE_BROWSER=1 but no browser at ${CHROMIUM}`);

describe.skipIf(!browserAvailable)('the page and the embed stream in Chromium', () => {
  it('opens the stream socket from the embed frame and shows replies without polling; ?transport=polling polls', { timeout: 90_000 }, async () => {
    const server = await testServer();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      for (const transport of ['streaming', 'polling'] as const) {
        const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
        const socketUrls: string[] = [];
        const polls: string[] = [];
        page.on('websocket', (ws) => socketUrls.push(ws.url()));
        page.on('request', (r) => {
          if (r.method() === 'GET' && /\/activities\?/.test(r.url())) polls.push(r.url());
        });
        // The embed's frame is the page at /?embed=1.
        await page.goto(`${server.url}/?embed=1${transport === 'polling' ? '&transport=polling' : ''}`);
        await page.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 30_000 });
        const box = page.getByRole('textbox').last();
        await box.fill('¿Qué es la OGP?');
        await box.press('Enter');
        await expect.poll(async () => /creada en 2011/.test(await page.locator('body').innerText()), { timeout: 15_000 }).toBe(true);
        if (transport === 'streaming') {
          expect(socketUrls).toHaveLength(1);
          expect(socketUrls[0]).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/[\w-]+\/stream\?t=s1\./);
          expect(polls).toEqual([]);
        } else {
          expect(socketUrls).toEqual([]);
          expect(polls.length).toBeGreaterThan(0);
        }
        await page.close();
      }
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
