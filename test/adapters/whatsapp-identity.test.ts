/**
 * WhatsApp Cloud API in 2026: people named by a business-scoped user id (BSUID) with or without
 * a phone number, one person across identifiers and a number change, the 24-hour window kept in
 * the store, notices outside it as approved templates (also after a restart), Graph API retries,
 * and the read receipt with the typing indicator. Signed webhook deliveries of the documented
 * shapes (test/fixtures/whatsapp/), a fake Graph API on loopback that records every call and
 * answers as told.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readServerSettings } from '../../adapters/server/settings.js';
import { GraphClient, GraphError } from '../../adapters/whatsapp/cloud/graph-client.js';
import { createWhatsAppCloudAdapter } from '../../adapters/whatsapp/cloud/index.js';
import { noticeTemplate, templateParameter, type NoticeTemplates } from '../../adapters/whatsapp/cloud/templates.js';
import { createEngine, openFileStore, type Engine, type Proposal, type Store } from '../../src/index.js';
import { silentLogger } from '../../src/logger.js';
import { sessionsFileFor } from '../../src/store/open.js';
import { content, DURING_RECEPTION, PROPOSAL_ANSWERS, ROOT, TestClock } from '../helpers/conversation.js';

vi.setConfig({ testTimeout: 90_000 });

const APP_SECRET = 'test-app-secret';
const STORE_SECRET = 'identity-test-secret-0123456789';
const FIXTURES = join(ROOT, 'test/fixtures/whatsapp');
const DAY = 24 * 60 * 60 * 1000;
/** The identifiers in the fixtures. */
const PHONE = '56987654321';
const BSUID = 'CL.1502576394655843';
const NEW_PHONE = '56911223344';
const NEW_BSUID = 'CL.2847105839201746';
const TEMPLATES: NoticeTemplates = {
  status: { name: 'cabildo_estado', language: 'es' },
  draftOpen: { name: 'cabildo_borrador', language: 'es' },
  reminder: { name: 'cabildo_recordatorio', language: 'es' },
};

type Json = Record<string, unknown>;
interface Call extends Json {
  to?: string;
  recipient?: string;
  type?: string;
  status?: string;
  text?: { body: string };
  interactive?: { body: { text: string } };
  template?: { name: string; language: { code: string }; components: { type: string; parameters: { type: string; text: string }[] }[] };
}
type Answer = { status: number; code?: number } | 'drop';

let graph: Server;
let graphUrl: string;
const calls: (Call & { answered: number | 'drop' })[] = [];
/** How the fake Graph API answers the next calls (then 200). */
const script: Answer[] = [];

beforeAll(async () => {
  graph = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      expect(req.url).toBe('/v21.0/123/messages');
      expect(req.headers.authorization).toBe('Bearer test-token');
      const answer = script.shift() ?? { status: 200 };
      calls.push({ ...(JSON.parse(body) as Call), answered: answer === 'drop' ? 'drop' : answer.status });
      // A dropped connection: what a network failure looks like to the client.
      if (answer === 'drop') return req.socket.destroy();
      res.statusCode = answer.status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer.status === 200 ? { messages: [{ id: `wamid.out.${calls.length}` }] } : { error: { code: answer.code ?? 0, message: 'fake error' } }));
    });
  });
  await new Promise<void>((r) => graph.listen(0, '127.0.0.1', r));
  graphUrl = `http://127.0.0.1:${(graph.address() as AddressInfo).port}`;
});
afterAll(() => graph.close());
beforeEach(() => {
  calls.length = 0;
  script.length = 0;
});

interface Instance {
  url: string;
  store: Store;
  engine: Engine;
  close(): Promise<void>;
}

/** Cabildo's WhatsApp adapter on its own loopback port, on the store file `file`; `wall` is the adapter's clock. */
async function boot(file: string, options: { templates?: NoticeTemplates; wall: () => number; clock?: TestClock }): Promise<Instance> {
  const store = await openFileStore(file, { secret: STORE_SECRET });
  const engine = await createEngine({ contentDir: ROOT, store, clock: (options.clock ?? new TestClock()).now });
  const adapter = createWhatsAppCloudAdapter(
    engine,
    store,
    {
      token: 'test-token',
      phoneNumberId: '123',
      appSecret: APP_SECRET,
      verifyToken: 'v',
      apiUrl: graphUrl,
      apiVersion: 'v21.0',
      joinWindowMs: 0,
      noticeIntervalMs: 50,
      templates: options.templates ?? {},
      retry: { retries: 3, minTimeoutMs: 5, maxTimeoutMs: 20 },
    },
    silentLogger,
    options.wall,
  );
  const app = express();
  app.use(adapter.router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store,
    engine,
    async close() {
      await adapter.close();
      await new Promise((r) => server.close(r));
      await engine.idle();
      await store.close();
    },
  };
}

const tempStore = () => join(mkdtempSync(join(tmpdir(), 'cabildo-wa-identity-')), 'db.json');
let counter = 0;

/** A fixture with a fresh message id and, for text messages, the given text. */
function fixture(name: string, text?: string): string {
  const body = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as { entry: { changes: { value: { messages: Json[] } }[] }[] };
  const message = body.entry[0]!.changes[0]!.value.messages[0]!;
  message.id = `wamid.test.${++counter}`;
  if (text !== undefined) message.text = { body: text };
  return JSON.stringify(body);
}

async function post(instance: Instance, body: string): Promise<void> {
  const res = await fetch(`${instance.url}/whatsapp/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}` },
    body,
  });
  expect(res.status).toBe(200);
}

const isMessage = (c: Call) => c.status !== 'read';
const bodyOf = (c: Call) => c.text?.body ?? c.interactive?.body.text ?? '';

/** Waits until the fake Graph API has had no call for a while, and `atLeast` calls in all (messages only, with `messagesOnly`). */
async function settle(atLeast = 0, messagesOnly = false): Promise<void> {
  const count = () => (messagesOnly ? calls.filter(isMessage).length : calls.length);
  const deadline = Date.now() + 15_000;
  let seen = -1;
  for (;;) {
    if (calls.length === seen && count() >= atLeast) return;
    if (Date.now() > deadline) throw new Error(`expected at least ${atLeast} Graph API calls, got ${count()}`);
    seen = calls.length;
    await new Promise((r) => setTimeout(r, 120));
  }
}

/** Posts a fixture with `text` and returns the messages sent in reply. */
async function say(instance: Instance, name: string, text: string): Promise<Call[]> {
  const before = calls.length;
  await post(instance, fixture(name, text));
  await settle(calls.slice(0, before).filter(isMessage).length + 1, true);
  return calls.slice(before).filter(isMessage);
}

/** A whole proposal through WhatsApp; returns its tracking number and how many messages the bot sent. */
async function fileProposal(instance: Instance, name: string): Promise<{ id: string; botMessages: number }> {
  let botMessages = 0;
  for (const text of ['enviar propuesta', ...PROPOSAL_ANSWERS, 'no']) botMessages += (await say(instance, name, text)).length;
  const done = await say(instance, name, 'confirmar');
  botMessages += done.length;
  const id = /GA-\d{4}-\d{6}/.exec(done.map(bodyOf).join('\n'))?.[0];
  expect(id).toBeDefined();
  return { id: id!, botMessages };
}

describe('people named by a business-scoped user id', () => {
  it('lets a person whose phone number is withheld file a proposal, answering by BSUID, and stores neither identifier', async () => {
    const file = tempStore();
    const wall = Date.parse(DURING_RECEPTION);
    const cabildo = await boot(file, { wall: () => wall });
    try {
      const { id, botMessages } = await fileProposal(cabildo, 'bsuid-only');
      const replies = calls.filter(isMessage);
      // Every reply went to the BSUID, as `recipient`: there is no phone number to use.
      expect(replies.every((c) => c.recipient === BSUID && c.to === undefined)).toBe(true);
      expect((await cabildo.store.get(id))?.channel).toBe('whatsapp');
      // One bot message per message the person sent: 11 for a whole proposal (README: "Billing").
      expect(botMessages).toBeLessThanOrEqual(11);
      const [status] = await say(cabildo, 'bsuid-only', 'mis propuestas');
      expect(bodyOf(status!)).toContain(id);
    } finally {
      await cabildo.close();
    }
    for (const f of [file, sessionsFileFor(file)]) {
      const text = readFileSync(f, 'utf8');
      expect(text).not.toContain('1502576394655843');
      expect(text).not.toContain(PHONE);
    }
  });

  it('keeps one person across a phone number, phone and BSUID, BSUID alone, and a number change', async () => {
    const wall = Date.parse(DURING_RECEPTION);
    const cabildo = await boot(tempStore(), { wall: () => wall });
    try {
      // Seen first by phone number alone, as before BSUIDs existed.
      const { id } = await fileProposal(cabildo, 'phone-only');
      const mine = async (name: string) => {
        const replies = await say(cabildo, name, 'mis propuestas');
        expect(replies.map(bodyOf).join('\n')).toContain(id);
        return replies;
      };
      // Phone and BSUID together: the BSUID is linked to the person; replies still go to the phone.
      expect((await mine('both')).every((c) => c.to === PHONE && c.recipient === undefined)).toBe(true);
      // The phone number withheld (a username): the same proposals, replies to the BSUID.
      expect((await mine('bsuid-only')).every((c) => c.recipient === BSUID && c.to === undefined)).toBe(true);
      // A number change (which also gives a new BSUID) is no message to answer…
      const before = calls.length;
      await post(cabildo, fixture('number-change'));
      await settle();
      expect(calls.slice(before)).toEqual([]);
      // …and the new identifiers are the same person.
      const renamed = JSON.parse(fixture('both', 'mis propuestas').replaceAll(PHONE, NEW_PHONE).replaceAll(BSUID, NEW_BSUID)) as Json;
      const start = calls.length;
      await post(cabildo, JSON.stringify(renamed));
      await settle(calls.filter(isMessage).length + 1, true);
      const replies = calls.slice(start).filter(isMessage);
      expect(replies.map(bodyOf).join('\n')).toContain(id);
      expect(replies.every((c) => c.to === NEW_PHONE)).toBe(true);
      // Four identifiers, one person, and nothing of them in the clear.
      const keys = [PHONE, BSUID, NEW_PHONE, NEW_BSUID].map((x) => cabildo.store.userKey('whatsapp', x));
      expect(new Set(await Promise.all(keys.map(async (k) => (await cabildo.store.personOf(k)) ?? k))).size).toBe(1);
    } finally {
      await cabildo.close();
    }
  });

  it('refuses malformed identifiers and a message with no sender, and still answers the rest', async () => {
    const wall = Date.parse(DURING_RECEPTION);
    const cabildo = await boot(tempStore(), { wall: () => wall });
    try {
      const body = JSON.parse(fixture('bsuid-only', 'hola')) as { entry: { changes: { value: { messages: Json[] } }[] }[] };
      const good = body.entry[0]!.changes[0]!.value.messages[0]!;
      body.entry[0]!.changes[0]!.value.messages = [
        { ...good, id: 'wamid.bad.1', from_user_id: 'cl.123' },
        { ...good, id: 'wamid.bad.2', from_user_id: `CL.${'1'.repeat(129)}` },
        { ...good, id: 'wamid.bad.3', from_user_id: 'CL.12<script>' },
        { ...good, id: 'wamid.bad.4', from_user_id: undefined },
        good,
      ];
      await post(cabildo, JSON.stringify(body));
      await settle(1, true);
      const replies = calls.filter(isMessage);
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.every((c) => c.recipient === BSUID)).toBe(true);
      // The parent BSUID shape is accepted too.
      const parent = JSON.parse(fixture('bsuid-only', 'hola')) as typeof body;
      parent.entry[0]!.changes[0]!.value.messages[0]!.from_user_id = 'CL.ENT.11815799212886844830';
      const before = calls.length;
      await post(cabildo, JSON.stringify(parent));
      await settle(calls.filter(isMessage).length + 1, true);
      expect(calls.slice(before).filter(isMessage).every((c) => c.recipient === 'CL.ENT.11815799212886844830')).toBe(true);
    } finally {
      await cabildo.close();
    }
  });
});

describe('notices outside the 24-hour window', () => {
  it('sends the staff answer as the approved template two days later, after a restart, and marks it delivered', async () => {
    const file = tempStore();
    let wall = Date.parse(DURING_RECEPTION);
    const first = await boot(file, { wall: () => wall });
    const { id } = await fileProposal(first, 'bsuid-only');
    await first.close();

    // Two days later, another process on the same store: the window closed with the first.
    wall += 2 * DAY;
    calls.length = 0;
    const second = await boot(file, { wall: () => wall, templates: TEMPLATES });
    try {
      await second.store.setStatus(id, { status: 'seleccionada', answer: 'Pasa a la mesa de trabajo\nde marzo.', actor: 'staff:test' }, new Date(wall));
      await settle(1);
      const sent = calls.filter(isMessage);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        recipient: BSUID,
        type: 'template',
        template: {
          name: 'cabildo_estado',
          language: { code: 'es' },
          // The answer flattened to one line: Meta refuses line breaks in parameters.
          components: [{ type: 'body', parameters: [{ type: 'text', text: id }, { type: 'text', text: 'seleccionada' }, { type: 'text', text: 'Pasa a la mesa de trabajo de marzo.' }] }],
        },
      });
      expect(sent[0]!.to).toBeUndefined();
      // Delivered: not sent again.
      expect(await second.store.pendingNotices()).toEqual([]);
      await new Promise((r) => setTimeout(r, 300));
      expect(calls.filter(isMessage)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('without a template the notice waits for the next message; a notice kind without one waits too', async () => {
    let wall = Date.parse(DURING_RECEPTION);
    const noTemplates = await boot(tempStore(), { wall: () => wall });
    try {
      const { id } = await fileProposal(noTemplates, 'phone-only');
      wall += 2 * DAY;
      calls.length = 0;
      await noTemplates.store.setStatus(id, { status: 'en_revision', actor: 'staff:test' }, new Date(wall));
      await noTemplates.store.setHidden(id, 'Datos personales en el texto', 'staff:test', new Date(wall));
      await new Promise((r) => setTimeout(r, 400));
      expect(calls).toEqual([]);
      expect(await noTemplates.store.pendingNotices()).toHaveLength(2);
      // The person writes: both notices first, as messages, then the answer.
      const replies = await say(noTemplates, 'phone-only', 'hola');
      expect(replies.map(bodyOf).slice(0, 2).join('\n')).toMatch(new RegExp(`${id}[\\s\\S]*en revisión[\\s\\S]*ocultó`));
      expect(await noTemplates.store.pendingNotices()).toEqual([]);
    } finally {
      await noTemplates.close();
    }

    // With templates, the moderation notice (which has none) still waits; the status one goes.
    wall = Date.parse(DURING_RECEPTION);
    const withTemplates = await boot(tempStore(), { wall: () => wall, templates: TEMPLATES });
    try {
      const { id } = await fileProposal(withTemplates, 'phone-only');
      wall += 2 * DAY;
      calls.length = 0;
      await withTemplates.store.setHidden(id, 'Datos personales', 'staff:test', new Date(wall));
      await withTemplates.store.setStatus(id, { status: 'en_revision', actor: 'staff:test' }, new Date(wall));
      await settle(1);
      expect(calls.map((c) => [c.to, c.type, c.template?.name])).toEqual([[PHONE, 'template', 'cabildo_estado']]);
      expect((await withTemplates.store.pendingNotices()).map((n) => n.kind)).toEqual(['moderation']);
    } finally {
      await withTemplates.close();
    }
  });

  it('falls back to the template when Meta says the window closed, and keeps a notice Meta refused', async () => {
    let wall = Date.parse(DURING_RECEPTION);
    const cabildo = await boot(tempStore(), { wall: () => wall, templates: TEMPLATES });
    try {
      const { id } = await fileProposal(cabildo, 'both');
      // Inside our window, but Meta's clock says otherwise: re-engagement required.
      calls.length = 0;
      script.push({ status: 400, code: 131047 });
      await cabildo.store.setStatus(id, { status: 'en_revision', actor: 'staff:test' }, new Date(wall));
      await settle(2);
      expect(calls.map((c) => [c.type, c.answered])).toEqual([['text', 400], ['template', 200]]);
      expect(await cabildo.store.pendingNotices()).toEqual([]);

      // Outside the window, a template Meta refuses (a 4xx: never retried) stays waiting…
      wall += 2 * DAY;
      calls.length = 0;
      script.push({ status: 400, code: 132001 });
      await cabildo.store.setStatus(id, { status: 'seleccionada', actor: 'staff:test' }, new Date(wall));
      await settle(1);
      expect(calls[0]).toMatchObject({ type: 'template', answered: 400 });
      // …and goes out at a later round, once Meta takes it.
      await settle(2);
      expect(calls.filter((c) => c.answered === 200)).toHaveLength(1);
      expect(await cabildo.store.pendingNotices()).toEqual([]);
    } finally {
      await cabildo.close();
    }
  });
});

describe('read receipts and the typing indicator', () => {
  it('marks a message read with the typing indicator before its reply, and never for a message that gets none', async () => {
    const wall = Date.parse(DURING_RECEPTION);
    const cabildo = await boot(tempStore(), { wall: () => wall });
    try {
      const body = fixture('both', 'qué es la OGP');
      const messageId = (JSON.parse(body) as { entry: { changes: { value: { messages: { id: string }[] } }[] }[] }).entry[0]!.changes[0]!.value.messages[0]!.id;
      await post(cabildo, body);
      await settle(1, true);
      expect(calls[0]).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: messageId, typing_indicator: { type: 'text' }, answered: 200 });
      expect(calls.slice(1).every(isMessage)).toBe(true);

      // A reaction and a number change get no answer, so no read receipt either.
      calls.length = 0;
      const reaction = JSON.parse(fixture('both', 'x')) as { entry: { changes: { value: { messages: Json[] } }[] }[] };
      reaction.entry[0]!.changes[0]!.value.messages[0] = { from: PHONE, from_user_id: BSUID, id: `wamid.test.${++counter}`, timestamp: '1776944345', type: 'reaction', reaction: { message_id: 'wamid.out.1', emoji: '👍' } };
      await post(cabildo, JSON.stringify(reaction));
      await post(cabildo, fixture('number-change'));
      await new Promise((r) => setTimeout(r, 400));
      expect(calls).toEqual([]);
    } finally {
      await cabildo.close();
    }
  });
});

describe('Graph API retries', () => {
  const client = () => new GraphClient({ apiUrl: graphUrl, apiVersion: 'v21.0', phoneNumberId: '123', token: 'test-token', retry: { retries: 3, minTimeoutMs: 5, maxTimeoutMs: 20 } });
  const text = { type: 'text' as const, text: { body: 'hola', preview_url: false } };

  it('retries 429, 5xx and a dropped connection until Meta accepts', async () => {
    script.push({ status: 429 }, { status: 503 }, 'drop');
    await client().send({ to: PHONE }, text);
    expect(calls.map((c) => c.answered)).toEqual([429, 503, 'drop', 200]);
    // The same message each time.
    expect(new Set(calls.map((c) => JSON.stringify({ ...c, answered: 0 }))).size).toBe(1);
  });

  it('gives up after a bounded number of retries', async () => {
    script.push({ status: 500 }, { status: 502 }, { status: 503 }, { status: 500 }, { status: 500 });
    await expect(client().send({ recipient: BSUID }, text)).rejects.toMatchObject({ status: 500 });
    expect(calls).toHaveLength(4);
  });

  it('never retries another 4xx', async () => {
    for (const [status, code] of [[400, 131047], [400, 100], [401, 190], [403, 10], [404, 0]] as const) {
      calls.length = 0;
      script.push({ status, code });
      const error = await client().send({ to: PHONE }, text).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphError);
      expect((error as GraphError).code).toBe(code);
      expect(calls).toHaveLength(1);
    }
  });
});

describe('template settings', () => {
  const base = { WHATSAPP_TOKEN: 't', WHATSAPP_PHONE_NUMBER_ID: '123', WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 'v' };

  it('reads name:language for each kind, and none when unset', () => {
    const settings = readServerSettings({ ...base, WHATSAPP_TEMPLATE_STATUS: 'cabildo_estado:es', WHATSAPP_TEMPLATE_REMINDER: 'cabildo_recordatorio:es_CL' });
    expect(settings.whatsappCloud!.templates).toEqual({ status: { name: 'cabildo_estado', language: 'es' }, reminder: { name: 'cabildo_recordatorio', language: 'es_CL' } });
    expect(readServerSettings(base).whatsappCloud!.templates).toEqual({});
  });

  it('stops start-up on a malformed value, naming the variable', () => {
    for (const value of ['Cabildo Estado', 'cabildo_estado', 'cabildo_estado:espanol', ':es']) {
      expect(() => readServerSettings({ ...base, WHATSAPP_TEMPLATE_DRAFT_OPEN: value })).toThrow(/WHATSAPP_TEMPLATE_DRAFT_OPEN must be a template name and language such as cabildo_estado:es/);
    }
  });
});

describe('template parameters', () => {
  const at = '2028-04-02T12:00:00.000Z';
  const params = (m: ReturnType<typeof noticeTemplate>) => m?.template.components[0]!.parameters.map((p) => p.text);

  it('fills the draft-opening invitation and the work-table reminder from the content, on one line each', () => {
    const c = content();
    expect(params(noticeTemplate({ userKey: 'k', channel: 'whatsapp', createdAt: at, kind: 'draft_open', proposalId: 'GA-2027-000001', commitmentId: 'C1' }, undefined, c, TEMPLATES))).toEqual([
      'GA-2027-000001',
      'C1 Justicia abierta',
      '30 de abril de 2028',
    ]);
    const reminder = noticeTemplate({ userKey: 'k', channel: 'whatsapp', createdAt: at, kind: 'table_reminder', tableId: 'M1', code: 'M1-7KQ4' }, undefined, c, TEMPLATES);
    expect(reminder?.template.name).toBe('cabildo_recordatorio');
    expect(params(reminder)).toEqual(['M1 · Transparencia y datos abiertos', '7 de diciembre de 2027, 18:00 h, Biblioteca de Santiago, Av. Matucana 151, Santiago', 'M1-7KQ4']);
  });

  it('sends no empty parameter and nothing for kinds without a template', () => {
    const c = content();
    const proposal = { id: 'GA-2027-000002', status: 'en_revision' } as Proposal;
    expect(params(noticeTemplate({ userKey: 'k', channel: 'whatsapp', createdAt: at, proposalId: proposal.id }, proposal, c, TEMPLATES))).toEqual(['GA-2027-000002', 'en revisión', '—']);
    expect(noticeTemplate({ userKey: 'k', channel: 'whatsapp', createdAt: at, kind: 'moderation', proposalId: proposal.id, hidden: true, reason: 'x' }, proposal, c, TEMPLATES)).toBeUndefined();
    expect(noticeTemplate({ userKey: 'k', channel: 'whatsapp', createdAt: at, kind: 'table_promoted', tableId: 'M1', code: 'M1-7KQ4' }, undefined, c, TEMPLATES)).toBeUndefined();
    // A kind whose template is not configured waits.
    expect(noticeTemplate({ userKey: 'k', channel: 'whatsapp', createdAt: at, proposalId: proposal.id }, proposal, c, { reminder: TEMPLATES.reminder! })).toBeUndefined();
    expect(templateParameter(`a\n\tb${' '.repeat(8)}c`)).toBe('a b c');
    expect(templateParameter('x'.repeat(900))).toHaveLength(500);
  });
});
