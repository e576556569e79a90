/**
 * The WhatsApp Cloud API webhook with signed payloads, replying through a fake Graph API on
 * loopback that records what was sent.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionsFileFor } from '../../src/store/open.js';
import { PROPOSAL_ANSWERS } from '../helpers/conversation.js';
import { testServer, type TestServer } from '../helpers/server.js';

const SECRET = 'test-app-secret';
interface Sent {
  to: string;
  type: string;
  text?: { body: string };
  interactive?: { type: string; body: { text: string }; action: { buttons?: { reply: { title: string } }[]; sections?: { rows: { title: string }[] }[] } };
}

let graph: Server;
let graphUrl: string;
const sent: Sent[] = [];
const reads: object[] = [];
let server: TestServer;
let counter = 0;

const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const envelope = (value: object) => JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '123' }, ...value } }] }] });
const textMessage = (from: string, body: string, id = `wamid.${++counter}`) => envelope({ contacts: [{ wa_id: from, profile: { name: 'Ana' } }], messages: [{ from, id, timestamp: '1700000000', type: 'text', text: { body } }] });

async function post(body: string, signature = sign(body)): Promise<number> {
  const res = await fetch(`${server.url}/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
  return res.status;
}

/** Waits until `count` messages went to `to`, and returns them. */
async function sentTo(to: string, count: number): Promise<Sent[]> {
  const deadline = Date.now() + 10_000;
  while (sent.filter((m) => m.to === to).length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} messages to ${to}, got ${sent.filter((m) => m.to === to).length}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return sent.filter((m) => m.to === to);
}
const bodyOf = (m: Sent) => m.text?.body ?? m.interactive?.body.text ?? '';

/** Sends one text and waits for the reply messages it causes. */
async function say(from: string, text: string): Promise<Sent[]> {
  const before = sent.filter((m) => m.to === from).length;
  expect(await post(textMessage(from, text))).toBe(200);
  await sentTo(from, before + 1);
  await new Promise((r) => setTimeout(r, 60)); // a reply may span several messages
  return sent.filter((m) => m.to === from).slice(before);
}

beforeAll(async () => {
  graph = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      expect(req.url).toBe('/v21.0/123/messages');
      expect(req.headers.authorization).toBe('Bearer test-token');
      const parsed = JSON.parse(body) as Sent & { messaging_product: string; status?: string };
      // Read receipts (with the typing indicator) are not messages to the person.
      if (parsed.status === 'read') reads.push(parsed);
      else sent.push(parsed);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ messages: [{ id: `wamid.out.${sent.length}` }] }));
    });
  });
  await new Promise<void>((r) => graph.listen(0, '127.0.0.1', r));
  graphUrl = `http://127.0.0.1:${(graph.address() as AddressInfo).port}`;
  server = await testServer(
    { WHATSAPP_TOKEN: 'test-token', WHATSAPP_PHONE_NUMBER_ID: '123', WHATSAPP_APP_SECRET: SECRET, WHATSAPP_VERIFY_TOKEN: 'verify-me', WHATSAPP_API_URL: graphUrl },
    (s) => {
      // Wide enough that two posts in a row land in one window even on a loaded CI machine.
      s.whatsappCloud!.joinWindowMs = 800;
      s.whatsappCloud!.noticeIntervalMs = 100;
    },
  );
});
afterAll(async () => {
  await server.close();
  graph.close();
});

describe('WhatsApp Cloud API webhook', () => {
  it('answers the subscription check only with the verify token', async () => {
    const ok = await fetch(`${server.url}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42abc`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('42abc');
    expect((await fetch(`${server.url}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).status).toBe(403);
  });

  it('answers a text message, with options as a list, and a list or button reply as the option', async () => {
    const [greeting] = await say('56911111111', 'hola');
    expect(greeting!.interactive!.type).toBe('list');
    expect(greeting!.interactive!.body.text).toMatch(/\*Cabildo\*/);
    const titles = greeting!.interactive!.action.sections![0]!.rows.map((r) => r.title);
    expect(titles).toContain('Fechas');

    const before = sent.length;
    const listReply = envelope({ messages: [{ from: '56911111111', id: `wamid.${++counter}`, type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'opt-4', title: 'Fechas' } } }] });
    expect(await post(listReply)).toBe(200);
    const [dates] = (await sentTo('56911111111', 2)).slice(before);
    expect(bodyOf(dates!)).toMatch(/Recepción de propuestas/);

    const deletion = await say('56911111111', 'quiero borrar mis datos');
    expect(bodyOf(deletion[0]!)).toMatch(/No tengo ningún dato tuyo/);
  });

  it('takes a button reply as the tapped option', async () => {
    const phone = '56922222222';
    await say(phone, 'enviar propuesta');
    for (const a of PROPOSAL_ANSWERS) await say(phone, a);
    const before = sent.filter((m) => m.to === phone).length;
    const consent = sent.filter((m) => m.to === phone).at(-1)!;
    expect(consent.interactive!.type).toBe('button');
    expect(consent.interactive!.action.buttons!.map((b) => b.reply.title)).toEqual(['Sí', 'No']);
    await post(envelope({ messages: [{ from: phone, id: `wamid.${++counter}`, type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'opt-2', title: 'No' } } }] }));
    const [summary] = (await sentTo(phone, before + 1)).slice(before);
    expect(bodyOf(summary!)).toMatch(/Revisa tu propuesta/);
    const [done] = await say(phone, 'confirmar');
    expect(bodyOf(done!)).toMatch(/GA-2027-\d{6}/);
    // The phone number is nowhere in the store.
    expect(readFileSync(server.dbFile, 'utf8')).not.toContain(phone);
    expect(readFileSync(sessionsFileFor(server.dbFile), 'utf8')).not.toContain(phone);
  });

  it('joins an answer split into several quick messages', async () => {
    const phone = '56933333333';
    await say(phone, 'enviar propuesta');
    await say(phone, 'Presupuesto claro');
    const before = sent.filter((m) => m.to === phone).length;
    await post(textMessage(phone, 'En mi comuna nadie entiende'));
    await post(textMessage(phone, 'en qué se gasta el presupuesto municipal'));
    const replies = (await sentTo(phone, before + 1)).slice(before);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sent.filter((m) => m.to === phone).length).toBe(before + 1);
    expect(bodyOf(replies[0]!)).toContain('(3/8)');
    const state = (await server.store.session(server.engine.userKey('whatsapp', phone)));
    expect(state?.form === 'proposal' && state.draft.problem).toBe('En mi comuna nadie entiende\nen qué se gasta el presupuesto municipal');
  });

  it('handles a duplicated delivery once, ignores status callbacks, and says it only reads text', async () => {
    const phone = '56944444444';
    const dup = textMessage(phone, 'qué es la OGP', 'wamid.same');
    expect(await post(dup)).toBe(200);
    expect(await post(dup)).toBe(200);
    await sentTo(phone, 1);
    await new Promise((r) => setTimeout(r, 400));
    expect(sent.filter((m) => m.to === phone)).toHaveLength(1);

    const statuses = envelope({ statuses: [{ id: 'wamid.out.1', status: 'read', recipient_id: phone }] });
    expect(await post(statuses)).toBe(200);

    expect(await post(envelope({ messages: [{ from: phone, id: `wamid.${++counter}`, type: 'audio', audio: { id: 'media1' } }] }))).toBe(200);
    const [audio] = (await sentTo(phone, 2)).slice(1);
    expect(bodyOf(audio!)).toMatch(/solo entiendo mensajes de texto/);
  });

  it('picks an option by its number', async () => {
    const phone = '56955555555';
    await say(phone, 'hola');
    const [picked] = await say(phone, '4');
    expect(bodyOf(picked!)).toMatch(/Recepción de propuestas/);
  });

  it('rejects bad signatures and malformed bodies without processing them', async () => {
    const before = sent.length;
    const body = textMessage('56966666666', 'hola');
    expect(await post(body, 'sha256=' + '0'.repeat(64))).toBe(401);
    expect(await post(body, '')).toBe(401);
    expect(await post('{"object": "whatsapp', sign('{"object": "whatsapp'))).toBe(400);
    expect(await post('{"hello": 1}', sign('{"hello": 1}'))).toBe(400);
    await new Promise((r) => setTimeout(r, 200));
    expect(sent.length).toBe(before);
  });

  it('delivers a status change at once while the 24-hour window is open', async () => {
    const phone = '56977777777';
    await say(phone, 'enviar propuesta');
    for (const a of PROPOSAL_ANSWERS) await say(phone, a);
    await say(phone, 'no');
    const [done] = await say(phone, 'confirmar');
    const id = /GA-\d{4}-\d{6}/.exec(bodyOf(done!))![0];
    const before = sent.filter((m) => m.to === phone).length;
    await server.store.setStatus(id, { status: 'seleccionada', answer: 'Pasa a la mesa de trabajo.', actor: 'staff:test' }, new Date());
    const [notice] = (await sentTo(phone, before + 1)).slice(before);
    expect(bodyOf(notice!)).toMatch(new RegExp(`${id}[\\s\\S]*seleccionada[\\s\\S]*Pasa a la mesa`));
  });
});

describe('WhatsApp Cloud settings', () => {
  it('names the missing variables when only some are set', async () => {
    await expect(testServer({ WHATSAPP_TOKEN: 'x' })).rejects.toThrow(/needs WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN too/);
  });
});
