/**
 * The whatsapp-web.js adapter driven through a stand-in with the same events and methods as
 * whatsapp-web.js's `Client`, so no phone is needed; the adapter is the production code.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createWhatsAppWebAdapter, type WebClient, type WebMessage, type WhatsAppWebAdapter } from '../../adapters/whatsapp/web/index.js';
import { silentLogger } from '../../src/logger.js';
import { PROPOSAL_ANSWERS, testEngine } from '../helpers/conversation.js';

class FakeClient extends EventEmitter implements WebClient {
  sent: { chatId: string; text: string }[] = [];
  failuresBeforeStart = 0;
  initializeCalls = 0;
  offline = false;

  async initialize(): Promise<void> {
    this.initializeCalls++;
    if (this.failuresBeforeStart > 0) {
      this.failuresBeforeStart--;
      throw new Error('net::ERR_INTERNET_DISCONNECTED');
    }
    this.emit('qr', 'fake-qr');
    this.emit('ready');
  }
  async sendMessage(chatId: string, text: string): Promise<unknown> {
    if (this.offline) throw new Error('Session closed');
    this.sent.push({ chatId, text });
    return {};
  }
  async destroy(): Promise<void> {}
  receive(message: Partial<WebMessage> & { from: string }): void {
    this.emit('message', { fromMe: false, body: '', type: 'chat', ...message });
  }
}

/** Waits until `check` holds (under a loaded CI machine replies take longer than usual). */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let adapter: WhatsAppWebAdapter | undefined;
afterEach(async () => {
  await adapter?.close();
  adapter = undefined;
});

async function setup(options: { failuresBeforeStart?: number } = {}) {
  const { engine, store } = await testEngine();
  const client = new FakeClient();
  client.failuresBeforeStart = options.failuresBeforeStart ?? 0;
  const qrs: string[] = [];
  adapter = createWhatsAppWebAdapter(engine, client, { joinWindowMs: 200, noticeIntervalMs: 50, retryDelayMs: 10, maxRetryDelayMs: 40, showQr: (qr) => qrs.push(qr) }, silentLogger);
  await adapter.start();
  /** Sends a text and waits for the reply. */
  async function say(from: string, body: string): Promise<string> {
    const before = client.sent.length;
    client.receive({ from, body });
    const deadline = Date.now() + 5000;
    while (client.sent.length === before) {
      if (Date.now() > deadline) throw new Error(`no reply to "${body}"`);
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 30));
    return client.sent.slice(before).map((m) => m.text).join('\n---\n');
  }
  return { engine, store, client, qrs, say };
}

describe('whatsapp-web.js adapter', () => {
  it('answers a private chat with options as a numbered list, and a number picks an option', async () => {
    const { say, client, qrs } = await setup();
    expect(qrs).toEqual(['fake-qr']);
    const greeting = await say('56911111111@c.us', 'hola');
    expect(greeting).toMatch(/\*Cabildo\*/);
    // During reception, what a person can do today comes first.
    expect(greeting).toMatch(/\n1\. Enviar propuesta\n2\. ¿Qué es OGP\?\n3\. Cómo participar\n4\. Fechas/);
    expect(client.sent[0]!.chatId).toBe('56911111111@c.us');
    expect(await say('56911111111@c.us', '4')).toMatch(/Recepción de propuestas/);
  });

  it('ignores groups, status broadcasts and its own messages; answers non-text with a short note', async () => {
    const { client, say } = await setup();
    client.receive({ from: '120363000000@g.us', body: 'hola' });
    client.receive({ from: 'status@broadcast', body: 'hola', isStatus: true });
    client.receive({ from: '56911111111@c.us', body: 'hola', fromMe: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(client.sent).toEqual([]);
    const before = client.sent.length;
    client.receive({ from: '56922222222@lid', type: 'ptt', body: '' });
    await eventually(() => client.sent.length > before, 'the note about text');
    expect(client.sent.slice(before).map((m) => m.text).join()).toMatch(/solo entiendo mensajes de texto/);
    expect(await say('56922222222@lid', 'qué es la OGP')).toMatch(/2011/);
  });

  it('files a proposal, joining an answer split in quick messages, without storing the number', async () => {
    const { say, client, store } = await setup();
    const chat = '56933333333@c.us';
    await say(chat, 'enviar propuesta');
    await say(chat, PROPOSAL_ANSWERS[0]!);
    const before = client.sent.length;
    client.receive({ from: chat, body: 'Nadie entiende' });
    client.receive({ from: chat, body: 'en qué se gasta el presupuesto municipal' });
    await eventually(() => client.sent.length > before, 'the joined answer');
    await new Promise((r) => setTimeout(r, 400));
    expect(client.sent.length).toBe(before + 1);
    expect(client.sent.at(-1)!.text).toContain('(3/8)');
    for (const a of PROPOSAL_ANSWERS.slice(2)) await say(chat, a);
    await say(chat, '2'); // "No" to contact details, by number
    const done = await say(chat, '1'); // "Confirmar"
    expect(done).toMatch(/GA-2027-000001/);
    expect((await store.get('GA-2027-000001'))!.problem).toBe('Nadie entiende\nen qué se gasta el presupuesto municipal');
    expect(JSON.stringify((await store.list()))).not.toContain('56933333333');
  });

  it('retries start-up with backoff when offline, then serves', async () => {
    const { client, say } = await setup({ failuresBeforeStart: 3 });
    expect(client.initializeCalls).toBe(4);
    expect(await say('56944444444@c.us', 'hola')).toMatch(/Cabildo/);
  });

  it('keeps replies across a disconnection and sends them when ready again', async () => {
    const { client } = await setup();
    client.offline = true;
    client.emit('disconnected', 'NAVIGATION');
    client.receive({ from: '56955555555@c.us', body: 'qué es la OGP' });
    await new Promise((r) => setTimeout(r, 150));
    expect(client.sent).toEqual([]);
    client.offline = false;
    client.emit('ready');
    await eventually(() => client.sent.length > 0, 'the deferred reply');
    expect(client.sent.map((m) => m.text).join()).toMatch(/2011/);
  });

  it('delivers a status notice at once to a person it has talked to', async () => {
    const { say, client, store } = await setup();
    const chat = '56966666666@c.us';
    await say(chat, 'enviar propuesta');
    for (const a of PROPOSAL_ANSWERS) await say(chat, a);
    await say(chat, 'no');
    const id = /GA-\d{4}-\d{6}/.exec(await say(chat, 'confirmar'))![0];
    const before = client.sent.length;
    await store.setStatus(id, { status: 'en_revision', actor: 'staff:test' }, new Date());
    await eventually(() => client.sent.length > before, 'the notice');
    expect(client.sent.slice(before).map((m) => m.text).join()).toMatch(new RegExp(`${id}[\\s\\S]*en revisión`));
  });
});
