/**
 * Slack, attacked: citizen text that tries to become Slack markup (mentions, disguised links,
 * formatting), replayed and future-stamped signed requests, and bodies Bolt cannot route.
 * A real server with the Bolt app in HTTP mode, real signed requests, and a fake Slack Web API
 * on loopback that records every call.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMrkdwn, toMrkdwn } from '../../adapters/slack/mrkdwn.js';
import { literal } from '../../src/text/markdown.js';
import { PROPOSAL_ANSWERS } from '../helpers/conversation.js';
import { testServer, type TestServer } from '../helpers/server.js';

const SECRET = 'slack-security-signing-secret';
const STAFF = 'USTAFF';
const EVIL = '<!channel> urgente <@U123> <https://evil.example/x|Documento oficial> *negrita* _cursiva_ ~tachado~ `code`';
/** What must never reach Slack when it came from a person. */
const LIVE_MARKUP = [/<!channel>/, /<@U123>/, /<https:\/\/evil/, /\*negrita\*/, /_cursiva_/, /~tachado~/, /`code`/, /\\[*_~`<>]/];

interface Call {
  method: string;
  body: Record<string, unknown>;
}
const calls: Call[] = [];
let api: Server;
let apiUrl: string;
let server: TestServer;
let counter = 0;

function parseBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (type?.includes('json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      out[k] = k === 'blocks' || k === 'attachments' ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

function reply(method: string, body: Record<string, unknown>): object {
  switch (method) {
    case 'auth.test':
      return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'cabildo' };
    case 'chat.postMessage':
      return { ok: true, channel: body.channel, ts: `${1700000000 + calls.length}.000100` };
    case 'usergroups.users.list':
      return { ok: true, users: [STAFF] };
    default:
      return { ok: true };
  }
}

const nowS = () => Math.floor(Date.now() / 1000);
const sign = (body: string, ts = nowS()) => ({
  'x-slack-request-timestamp': String(ts),
  'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`,
});

/** A request exactly as Slack would send it, kept so it can be sent again (a replay). */
interface Captured {
  body: string;
  headers: Record<string, string>;
}
const captureJson = (payload: unknown, ts?: number): Captured => {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return { body, headers: { 'content-type': 'application/json', ...sign(body, ts) } };
};
const captureForm = (fields: Record<string, string>, ts?: number): Captured => {
  const body = new URLSearchParams(fields).toString();
  return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body, ts) } };
};
const send = (c: Captured) => fetch(`${server.url}/slack/events`, { method: 'POST', headers: c.headers, body: c.body });

const envelope = (event: unknown, id = `Ev${++counter}`) => ({ type: 'event_callback', token: 'x', team_id: 'T1', api_app_id: 'A1', event_id: id, event_time: 1700000000, event });
const dm = (user: string, text: string) => ({ type: 'message', channel: 'D1', channel_type: 'im', user, text, ts: `${1700000000 + ++counter}.000200` });
// Slack gives every request its own trigger_id: two real requests are never byte-identical.
const slashFields = (user: string, text: string) => ({ command: '/cabildo', text, user_id: user, user_name: user, channel_id: 'CSTAFF', team_id: 'T1', response_url: `${apiUrl}/respond`, trigger_id: `t${++counter}`, token: 'x', api_app_id: 'A1' });
const clickFields = (user: string, value: string) => ({
  payload: JSON.stringify({
    type: 'block_actions', team: { id: 'T1' }, user: { id: user }, api_app_id: 'A1', token: 'x', trigger_id: `t${++counter}`,
    channel: { id: 'D1' }, message: { type: 'message', ts: `${1700000000 + ++counter}.000001`, text: '' }, response_url: `${apiUrl}/respond`,
    actions: [{ type: 'button', action_id: 'cabildo_option_0', block_id: 'b', value, text: { type: 'plain_text', text: value }, action_ts: '1' }],
  }),
});

async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const settle = () => new Promise((r) => setTimeout(r, 400));
const posts = () => calls.filter((c) => c.method === 'chat.postMessage');
const responses = () => calls.filter((c) => c.method === 'response_url');
const textOf = (c: Call) => String(c.body.text ?? '');

/** Every string Slack would render from a message: its `text` and every text inside its blocks. */
function rendered(c: Call): string[] {
  const out = [textOf(c)];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) typeof x === 'string' ? k === 'text' && out.push(x) : walk(x);
  };
  walk(c.body.blocks);
  return out;
}

async function ask(user: string, text: string): Promise<Call> {
  const event = dm(user, text);
  expect((await send(captureJson(envelope(event)))).status).toBe(200);
  return until(() => posts().find((c) => c.body.thread_ts === event.ts), `reply to "${text}"`);
}

async function slash(user: string, text: string): Promise<Call> {
  const before = responses().length;
  expect((await send(captureForm(slashFields(user, text)))).status).toBe(200);
  return until(() => responses()[before], `response to /cabildo ${text}`);
}

beforeAll(async () => {
  api = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      const method = path.startsWith('/respond') ? 'response_url' : path.replace(/^\/(api\/)?/, '');
      const body = parseBody(raw, req.headers['content-type']);
      calls.push({ method, body });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(method === 'response_url' ? { ok: true } : reply(method, body)));
    });
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  server = await testServer({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: `${apiUrl}/api/`, CABILDO_STAFF: 'SSTAFF', CABILDO_STAFF_CHANNEL: 'CSTAFF' });
});
afterAll(async () => {
  await server.close();
  api.close();
});

describe('citizen text never becomes Slack markup', () => {
  it('renders escaped markdown as inert characters and keeps our own markup', () => {
    const out = toMrkdwn(`- **Título:** ${literal(EVIL)}\n[OGP](https://www.opengovpartnership.org/?a=1&b=2)`);
    for (const live of LIVE_MARKUP) expect(out).not.toMatch(live);
    expect(out).toMatch(/^• \*Título:\* &lt;!channel&gt; urgente &lt;@U123&gt; &lt;https:\/\/evil\.example\/x\|Documento oficial&gt; \*\u200Bnegrita\*\u200B _\u200Bcursiva_\u200B/);
    expect(out).toContain('<https://www.opengovpartnership.org/?a=1&amp;b=2|OGP>');
    // Raw store text: markdown in it is text too.
    expect(escapeMrkdwn('**x** [a](https://b.cl) & <!here>')).toBe('*\u200B*\u200Bx*\u200B*\u200B [a](https://b.cl) &amp; &lt;!here&gt;');
  });

  it('in the announcement, /cabildo ver, lists, resumen, staff answers and the citizen’s replies', async () => {
    const citizen = 'UVECINA';
    await ask(citizen, 'enviar propuesta');
    await ask(citizen, EVIL);
    for (const a of PROPOSAL_ANSWERS.slice(1)) await ask(citizen, a);
    await ask(citizen, 'no');
    const done = await ask(citizen, 'confirmar');
    const id = /GA-\d{4}-\d{6}/.exec(textOf(done))![0];
    expect((await server.store.get(id))!.title).toBe(EVIL);

    const announcement = await until(() => posts().find((c) => c.body.channel === 'CSTAFF' && textOf(c).includes(id)), 'announcement');
    const shown = await slash(STAFF, `ver ${id}`);
    const list = await slash(STAFF, 'propuestas');
    const summary = await slash(STAFF, 'resumen');
    const answered = await slash(STAFF, `estado ${id} seleccionada Respuesta: ${EVIL}`);
    expect((await server.store.get(id))!.answer).toBe(`Respuesta: ${EVIL}`);
    const shownAgain = await slash(STAFF, `ver ${id}`);
    const beforeNotice = posts().length;
    await ask(citizen, 'hola');
    const ogp = await ask(citizen, '¿qué es la OGP?');

    // The person's text arrived, made inert, everywhere it is shown.
    for (const c of [announcement, shown, list, shownAgain]) expect(rendered(c).join('\n')).toContain('&lt;!channel&gt; urgente &lt;@U123&gt;');
    expect(textOf(announcement)).toContain(`Nueva propuesta ${id}: &lt;!channel&gt;`);
    expect(rendered(shownAgain).join('\n')).toMatch(/\*Respuesta:\* Respuesta: &lt;!channel&gt;[^\n]*\*\u200Bnegrita\*\u200B/);
    // Nothing the bot sent anywhere (staff or citizen) holds live markup from a person.
    const sent = [...posts(), ...responses()];
    expect(sent).toContain(summary);
    expect(sent).toContain(answered);
    for (const c of sent) for (const s of rendered(c)) for (const live of LIVE_MARKUP) expect(s, `${c.method}: ${s}`).not.toMatch(live);
    // The citizen's status notice echoes the title and the staff answer, inert too.
    expect(posts().slice(beforeNotice).map(textOf).join('\n')).toMatch(/&lt;@U123&gt;[\s\S]*Respuesta: &lt;!channel&gt;/);
    // Our own markup still works.
    expect(rendered(announcement).join('\n')).toContain(`*${id}*`);
    expect(rendered(shown).join('\n')).toContain('*Título:* &lt;!channel&gt;');
    expect(textOf(summary)).toMatch(/^\*Resumen de la consulta\*/);
    expect(textOf(ogp)).toMatch(/\*Alianza para el Gobierno Abierto\*/);
    expect(textOf(ogp)).toMatch(/<https:\/\/www\.opengovpartnership\.org\/\|opengovpartnership\.org>/);
  });
});

describe('signed requests are acted on once', () => {
  it('a replayed slash command changes the status once and the replay gets an empty 200', async () => {
    const id = (await server.store.list())[0]!.id;
    const history = (await server.store.get(id))!.history.length;
    const before = responses().length;
    const captured = captureForm(slashFields(STAFF, `estado ${id} no_seleccionada`));
    const first = await send(captured);
    await until(() => responses()[before], 'the first response');
    const replay = await send(captured);
    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(await replay.text()).toBe('');
    await settle();
    expect(responses().length - before).toBe(1);
    expect((await server.store.get(id))!.history.length).toBe(history + 1);
  });

  it('a replayed button click is answered once', async () => {
    const captured = captureForm(clickFields('UCLICK', 'hola'));
    const before = posts().length;
    expect((await send(captured)).status).toBe(200);
    await until(() => (posts().length > before ? true : undefined), 'the answer to the click');
    expect((await send(captured)).status).toBe(200);
    await settle();
    expect(posts().length - before).toBe(1);
  });

  it('a forged body carrying a real signature neither acts nor blocks the real request', async () => {
    const real = captureJson(envelope(dm('UREAL', 'hola')));
    const forged = { body: JSON.stringify(envelope(dm('UFORGED', 'hola'))), headers: real.headers };
    const before = posts().length;
    expect((await send(forged)).status).toBe(401);
    expect((await send(real)).status).toBe(200);
    await until(() => (posts().length > before ? true : undefined), 'the answer to the real request');
    await settle();
    expect(posts().slice(before).map((c) => c.body.channel)).toEqual(['D1']);
  });

  it('refuses a correctly signed request stamped more than five minutes in the future', async () => {
    const before = calls.length;
    const future = await send(captureJson(envelope(dm('UFUTURE', 'hola')), nowS() + 6 * 60));
    const command = await send(captureForm(slashFields(STAFF, 'resumen'), nowS() + 6 * 60));
    expect([future.status, command.status]).toEqual([401, 401]);
    await settle();
    expect(calls.slice(before).filter((c) => c.method !== 'auth.test')).toEqual([]);
  });
});

describe('bodies Bolt cannot route', () => {
  it('answer 400, never 500, and reach nothing', async () => {
    const before = calls.length;
    const bodies: Captured[] = [
      captureJson({ ...envelope(null) }),
      captureJson({ type: 'event_callback', event_id: 'EvNoEvent', team_id: 'T1' }),
      captureJson(envelope('message')),
      captureJson(envelope({ channel: 'D1', text: 'sin tipo' })),
      captureJson(envelope([dm('UX', 'hola')])),
      captureJson(null),
      captureJson([]),
      captureJson('{"type":"event_callback",'),
      captureJson('not json'),
      captureForm({ payload: 'null' }),
      captureForm({ payload: '{not json' }),
    ];
    const statuses = [];
    for (const b of bodies) statuses.push((await send(b)).status);
    expect(statuses).toEqual(bodies.map(() => 400));
    await settle();
    expect(calls.slice(before).filter((c) => c.method !== 'auth.test')).toEqual([]);
  });
});
