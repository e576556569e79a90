/**
 * The WhatsApp Cloud API webhook against hostile or odd deliveries: malformed messages inside a
 * real delivery, messages that must get no answer, deliveries out of order, and person-written
 * markup in replies. A real server, signed webhook POSTs, a fake Graph API on loopback.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../adapters/server/index.js';
import { readServerSettings, type ServerSettings } from '../../adapters/server/settings.js';
import { toWhatsApp } from '../../adapters/whatsapp/format.js';
import { createEngine, openFileStore, type Engine, type Logger, type Store } from '../../src/index.js';
import { literal } from '../../src/text/markdown.js';
import { PROPOSAL_ANSWERS, ROOT, TestClock } from '../helpers/conversation.js';

const SECRET = 'test-app-secret';
/** The business's own number, as Meta writes it in `metadata.display_phone_number`. */
const DISPLAY_NUMBER = '+1 555-000-1234';
const T0 = 1_700_000_000;
const ZWSP = '\u200B';

interface Sent {
  to: string;
  type: string;
  text?: { body: string };
  interactive?: { type: string; body: { text: string }; action: { buttons?: { reply: { title: string } }[]; sections?: { rows: { title: string }[] }[] } };
}
interface LogEntry {
  level: keyof Logger;
  fields: Record<string, unknown>;
  message: string;
}
interface Running extends RunningServer {
  engine: Engine;
  store: Store;
}

let graph: Server;
let graphUrl: string;
const sent: Sent[] = [];
const logs: LogEntry[] = [];
const logger: Logger = {
  debug: (fields, message) => logs.push({ level: 'debug', fields, message }),
  info: (fields, message) => logs.push({ level: 'info', fields, message }),
  warn: (fields, message) => logs.push({ level: 'warn', fields, message }),
  error: (fields, message) => logs.push({ level: 'error', fields, message }),
};
/** Joins quick messages while a free-text answer is expected, like production. */
let joining: Running;
/** Takes every message as its own turn. */
let single: Running;
let counter = 0;
/** A different phone per test, so the tests cannot see each other's replies. */
let phones = 56_900_000_000;
const phone = () => String(++phones);

const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const envelope = (messages: object[], extra: object = {}) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: DISPLAY_NUMBER, phone_number_id: '123' }, messages, ...extra } }] }],
  });
const text = (from: string, body: string, timestamp = T0, id = `wamid.${++counter}`) => ({ from, id, timestamp: String(timestamp), type: 'text', text: { body } });

async function post(server: Running, body: string): Promise<number> {
  const res = await fetch(`${server.url}/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) }, body });
  return res.status;
}
const to = (phone: string) => sent.filter((m) => m.to === phone);
async function sentTo(phone: string, count: number): Promise<Sent[]> {
  const deadline = Date.now() + 10_000;
  while (to(phone).length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${to(phone).length}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return to(phone);
}
const bodyOf = (m: Sent) => m.text?.body ?? m.interactive?.body.text ?? '';
async function say(server: Running, from: string, body: string): Promise<Sent[]> {
  const before = to(from).length;
  expect(await post(server, envelope([text(from, body)]))).toBe(200);
  await sentTo(from, before + 1);
  await new Promise((r) => setTimeout(r, 60));
  return to(from).slice(before);
}

async function start(tweak: (s: ServerSettings) => void): Promise<Running> {
  const settings = readServerSettings({ PORT: '0', HOST: '127.0.0.1', WHATSAPP_TOKEN: 'test-token', WHATSAPP_PHONE_NUMBER_ID: '123', WHATSAPP_APP_SECRET: SECRET, WHATSAPP_VERIFY_TOKEN: 'verify-me', WHATSAPP_API_URL: graphUrl });
  tweak(settings);
  const dir = mkdtempSync(join(tmpdir(), 'cabildo-wa-security-'));
  const store = await openFileStore(join(dir, 'db.json'));
  const engine = await createEngine({ contentDir: ROOT, store, clock: new TestClock().now });
  return { ...(await startServer({ engine, store, logger }, settings)), engine, store };
}

beforeAll(async () => {
  graph = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body) as Sent & { status?: string };
      // Read receipts (with the typing indicator) are not messages to the person.
      if (parsed.status !== 'read') sent.push(parsed);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ messages: [{ id: `wamid.out.${sent.length}` }] }));
    });
  });
  await new Promise<void>((r) => graph.listen(0, '127.0.0.1', r));
  graphUrl = `http://127.0.0.1:${(graph.address() as AddressInfo).port}`;
  joining = await start((s) => {
    s.whatsappCloud!.joinWindowMs = 800;
    s.whatsappCloud!.noticeIntervalMs = 60_000;
  });
  single = await start((s) => {
    s.whatsappCloud!.joinWindowMs = 0;
    s.whatsappCloud!.noticeIntervalMs = 60_000;
  });
});
afterAll(async () => {
  await joining?.close();
  await single?.close();
  graph.close();
});

describe('malformed messages inside a real delivery', () => {
  it('answers the good message, skips and logs the bad ones without their text or sender, and returns 200', async () => {
    const good = phone();
    const tooLong = '5'.repeat(40);
    const noId = phone();
    const before = logs.length;
    const batch = envelope([
      text(tooLong, 'mensaje secreto uno'),
      text(good, 'hola'),
      { from: noId, timestamp: String(T0), type: 'text', text: { body: 'mensaje secreto dos' } },
    ]);
    expect(await post(joining, batch)).toBe(200);
    const [greeting] = await sentTo(good, 1);
    expect(greeting!.interactive!.body.text).toMatch(/\*Cabildo\*/);
    await new Promise((r) => setTimeout(r, 200));
    expect(to(tooLong)).toHaveLength(0);
    expect(to(noId)).toHaveLength(0);

    const warnings = logs.slice(before).filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(2);
    expect(warnings.map((w) => (w.fields.issues as { path: string }[]).map((i) => i.path))).toEqual([['from'], ['id']]);
    const logged = JSON.stringify(logs.slice(before));
    for (const secret of ['mensaje secreto', tooLong, noId, good]) expect(logged).not.toContain(secret);
  });

  it('still refuses with 400 a body that is not a WhatsApp webhook at all', async () => {
    const before = sent.length;
    expect(await post(joining, JSON.stringify({ object: 'whatsapp_business_account', entry: 'x' }))).toBe(400);
    expect(await post(joining, JSON.stringify({ object: 'page', entry: [] }))).toBe(400);
    expect(await post(joining, JSON.stringify({ object: 'whatsapp_business_account', entry: [{ changes: [{ value: { messages: 'hola' } }] }] }))).toBe(400);
    expect(await post(joining, JSON.stringify([text(phone(), 'hola')]))).toBe(400);
    await new Promise((r) => setTimeout(r, 200));
    expect(sent.length).toBe(before);
  });
});

describe('messages that get no answer', () => {
  it('ignores group messages, its own number, reactions, system notices and status updates', async () => {
    const inGroup = phone();
    const person = phone();
    const sentinel = phone();
    const own = DISPLAY_NUMBER.replace(/\D/g, '');
    const batch = envelope(
      [
        { ...text(inGroup, 'hola'), group_id: 'group-1' },
        text(own, 'hola'),
        text('123', 'hola'),
        { from: person, id: `wamid.${++counter}`, timestamp: String(T0), type: 'reaction', reaction: { message_id: 'wamid.out.1', emoji: '👍' } },
        { from: person, id: `wamid.${++counter}`, timestamp: String(T0), type: 'system', system: { body: 'User A changed from 1 to 2', new_wa_id: '2', type: 'user_changed_number' } },
        // Last, so that once it is answered everything before it was handled.
        text(sentinel, 'hola'),
      ],
      { statuses: [{ id: 'wamid.out.1', status: 'read', recipient_id: person, timestamp: String(T0) }] },
    );
    expect(await post(joining, batch)).toBe(200);
    await sentTo(sentinel, 1);
    await new Promise((r) => setTimeout(r, 300));
    for (const p of [inGroup, own, '123', person]) expect(to(p)).toHaveLength(0);
    expect(await post(joining, envelope([], { statuses: [{ id: 'wamid.out.2', status: 'delivered', recipient_id: person }] }))).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(to(person)).toHaveLength(0);
  });

  it('welcomes a person opening the chat for the first time, and answers other non-text with the text-only note', async () => {
    const newcomer = phone();
    expect(await post(joining, envelope([{ from: newcomer, id: `wamid.${++counter}`, timestamp: String(T0), type: 'request_welcome' }]))).toBe(200);
    const [welcome] = await sentTo(newcomer, 1);
    expect(welcome!.interactive!.body.text).toMatch(/\*Cabildo\*/);
    expect(welcome!.interactive!.action.sections![0]!.rows.map((r) => r.title)).toContain('Fechas');

    for (const [type, payload] of [
      ['image', { image: { id: 'media1', mime_type: 'image/jpeg' } }],
      ['sticker', { sticker: { id: 'media2' } }],
      ['unsupported', { errors: [{ code: 131051, title: 'Message type unknown' }] }],
    ] as const) {
      const p = phone();
      expect(await post(joining, envelope([{ from: p, id: `wamid.${++counter}`, timestamp: String(T0), type, ...payload }]))).toBe(200);
      const [note] = await sentTo(p, 1);
      expect(bodyOf(note!)).toMatch(/solo entiendo mensajes de texto/);
    }
  });
});

describe('deliveries out of order', () => {
  it('answers one person in the order of the message timestamps, not of the delivery', async () => {
    const p = phone();
    const batch = envelope([text(p, 'quiero borrar mis datos', T0 + 1), text(p, 'hola', T0)]);
    expect(await post(joining, batch)).toBe(200);
    const [first, second] = await sentTo(p, 2);
    expect(first!.interactive?.body.text).toMatch(/\*Cabildo\*/);
    expect(bodyOf(second!)).toMatch(/No tengo ningún dato tuyo/);
  });

  it('stores a proposal answer written first before the one written after it', async () => {
    const p = phone();
    await say(single, p, 'enviar propuesta');
    const [title, problem] = PROPOSAL_ANSWERS;
    expect(await post(single, envelope([text(p, problem!, T0 + 5), text(p, title!, T0 + 4)]))).toBe(200);
    await sentTo(p, 3);
    await new Promise((r) => setTimeout(r, 200));
    const state = (await single.store.session(single.engine.userKey('whatsapp', p)));
    expect(state?.form === 'proposal' && state.draft).toMatchObject({ title, problem });
  });

  it('joins a split answer in the order it was written, within one delivery and across two', async () => {
    const p = phone();
    await say(joining, p, 'enviar propuesta');
    await say(joining, p, PROPOSAL_ANSWERS[0]!);
    const before = to(p).length;
    expect(await post(joining, envelope([text(p, 'en qué se gasta el presupuesto municipal', T0 + 2)]))).toBe(200);
    expect(await post(joining, envelope([text(p, 'lo que nadie explica', T0 + 3), text(p, 'En mi comuna nadie entiende', T0 + 1)]))).toBe(200);
    await sentTo(p, before + 1);
    const state = await joining.store.session(joining.engine.userKey('whatsapp', p));
    expect(state?.form === 'proposal' && state.draft.problem).toBe('En mi comuna nadie entiende\nen qué se gasta el presupuesto municipal\nlo que nadie explica');
  });
});

describe('person-written markup in replies', () => {
  const plain = (s: string) => s.replaceAll(ZWSP, '');

  it('shows escaped markers as typed, unable to format, and still formats our own bold and links', () => {
    const typed = '*todo* _esto_ ~aquí~ `y` [aquí](https://evil.example) a\\b';
    const out = toWhatsApp(`**Título:** ${literal(typed)} y [sitio](https://ogp.example/)`);
    expect(out.startsWith('*Título:* ')).toBe(true);
    expect(out.endsWith(' y sitio: https://ogp.example/')).toBe(true);
    const shown = out.slice('*Título:* '.length, -' y sitio: https://ogp.example/'.length);
    // Every character typed, in order, and no backslash escape left over.
    expect(plain(shown)).toBe(typed);
    // Each marker fenced by zero-width spaces: never next to a word or a space, so it can neither
    // open nor close a WhatsApp span.
    for (let i = 0; i < shown.length; i++) {
      if ('*_~`'.includes(shown[i]!)) expect([shown[i - 1], shown[i + 1]]).toEqual([ZWSP, ZWSP]);
    }
    expect(toWhatsApp(`**${literal('a*b')}**`)).toBe(`*a${ZWSP}*${ZWSP}b*`);
  });

  it('sends a proposal title with markup back exactly as typed', async () => {
    const p = phone();
    const title = '*Urgente* _ya_ ~no~ [firma](https://evil.example)';
    await say(joining, p, 'enviar propuesta');
    for (const a of [title, ...PROPOSAL_ANSWERS.slice(1)]) await say(joining, p, a);
    const [summary] = await say(joining, p, 'no');
    const body = bodyOf(summary!);
    expect(body).toMatch(/Revisa tu propuesta/);
    expect(plain(body)).toContain(title);
    expect(body).not.toContain('\\');
    expect(body).not.toContain('firma: https');
    expect(body).toContain(`${ZWSP}*${ZWSP}Urgente${ZWSP}*${ZWSP}`);
  });
});
