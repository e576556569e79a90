/**
 * WhatsApp through whatsapp-web.js: a phone and a QR code, the quick pilot path. The adapter
 * takes a client with the events and methods of whatsapp-web.js's `Client`, so tests drive it
 * with a stand-in and production passes the real one (`client.ts`).
 *
 * Private chats only: groups, status broadcasts and its own messages never reach the engine;
 * non-text messages get a short reply. Options become a numbered list that a number answers.
 * Start-up retries with backoff (offline, `initialize()` just rejects), a disconnection
 * re-initialises, and replies that fail to send wait in an outbox until the client is ready.
 */
import { KeyedQueue, type Engine, type Logger, type Reply } from '../../../src/index.js';
import { BurstJoiner } from '../burst.js';
import { numberedOptions, pickOption, splitText, toWhatsApp, WHATSAPP_CHANNEL } from '../format.js';


/** What Cabildo reads of a whatsapp-web.js `Message`. */
export interface WebMessage {
  from: string;
  fromMe: boolean;
  body: string;
  /** `chat` for text; `ptt`, `audio`, `image`, `sticker`, `location`… otherwise. */
  type: string;
  isStatus?: boolean;
  id?: { _serialized?: string };
}

/** The part of whatsapp-web.js's `Client` the adapter uses. */
export interface WebClient {
  on(event: 'qr', listener: (qr: string) => void): unknown;
  on(event: 'ready' | 'authenticated', listener: () => void): unknown;
  on(event: 'auth_failure' | 'disconnected', listener: (reason: string) => void): unknown;
  on(event: 'message', listener: (message: WebMessage) => void): unknown;
  initialize(): Promise<void>;
  sendMessage(chatId: string, content: string): Promise<unknown>;
  destroy(): Promise<void>;
}

export interface WhatsAppWebOptions {
  joinWindowMs: number;
  noticeIntervalMs: number;
  /** First wait before retrying start-up; doubles up to `maxRetryDelayMs`. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** Shows the pairing QR code (the terminal, in production). */
  showQr: (qr: string) => void;
}

export interface WhatsAppWebAdapter {
  /** Starts the client, retrying until it is up or the adapter is closed. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Private chats are `<number>@c.us` or `<id>@lid`; groups end in `@g.us`, broadcasts in `@broadcast`. */
function isPrivateChat(id: string): boolean {
  return id.endsWith('@c.us') || id.endsWith('@lid');
}

/** The same person as on the Cloud API, where the id is the bare number. */
function userIdOf(chatId: string): string {
  return chatId.replace(/@c\.us$/, '');
}

export function createWhatsAppWebAdapter(engine: Engine, client: WebClient, options: WhatsAppWebOptions, logger: Logger): WhatsAppWebAdapter {
  const sends = new KeyedQueue();
  const outbox: { chatId: string; text: string }[] = [];
  /** In memory only: chat ids of people seen since start, and the options last shown to them. */
  const people = new Map<string, { chatId: string; options?: string[] }>();
  let ready = false;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  async function sendText(chatId: string, text: string): Promise<void> {
    if (!ready) {
      outbox.push({ chatId, text });
      return;
    }
    try {
      await client.sendMessage(chatId, text);
    } catch (error) {
      // Disconnected between the check and the send: keep it for when the client is back.
      outbox.push({ chatId, text });
      logger.warn({ channel: WHATSAPP_CHANNEL, err: error instanceof Error ? error.message : String(error) }, 'whatsapp send deferred');
    }
  }

  async function send(chatId: string, replies: Reply[]): Promise<void> {
    for (const reply of replies) {
      const text = toWhatsApp(reply.text) + (reply.options?.length ? `\n\n${numberedOptions(reply.options)}` : '');
      for (const part of splitText(text)) await sendText(chatId, part);
    }
  }

  async function flushOutbox(): Promise<void> {
    while (ready && outbox.length) {
      const next = outbox.shift()!;
      try {
        await client.sendMessage(next.chatId, next.text);
      } catch {
        outbox.unshift(next);
        return;
      }
    }
  }

  function deliver(chatId: string, text: string): void {
    const key = engine.userKey(WHATSAPP_CHANNEL, userIdOf(chatId));
    void sends.run(key, async () => {
      const person = people.get(key);
      const { replies } = await engine.handle({ channel: WHATSAPP_CHANNEL, userId: userIdOf(chatId), text: pickOption(text, person?.options) });
      people.set(key, { chatId, ...(replies.at(-1)?.options ? { options: replies.at(-1)!.options! } : {}) });
      await send(chatId, replies);
    });
  }

  const joiner = new BurstJoiner(options.joinWindowMs, (chatId) => engine.expectsFreeText(WHATSAPP_CHANNEL, userIdOf(chatId)), deliver);

  client.on('qr', (qr) => {
    logger.info({ channel: WHATSAPP_CHANNEL }, 'whatsapp: scan the QR code with the phone (WhatsApp > Linked devices)');
    options.showQr(qr);
  });
  client.on('authenticated', () => logger.info({ channel: WHATSAPP_CHANNEL }, 'whatsapp authenticated'));
  client.on('auth_failure', (reason) => logger.error({ channel: WHATSAPP_CHANNEL, reason }, 'whatsapp authentication failed: delete the session folder and scan the QR code again'));
  client.on('ready', () => {
    ready = true;
    logger.info({ channel: WHATSAPP_CHANNEL, queued: outbox.length }, 'whatsapp ready');
    void flushOutbox();
  });
  client.on('disconnected', (reason) => {
    ready = false;
    logger.warn({ channel: WHATSAPP_CHANNEL, reason }, 'whatsapp disconnected; reconnecting');
    if (!closed) void start();
  });
  client.on('message', (message) => {
    if (message.fromMe || message.isStatus || !isPrivateChat(message.from)) return;
    const key = engine.userKey(WHATSAPP_CHANNEL, userIdOf(message.from));
    if (!people.has(key)) people.set(key, { chatId: message.from });
    if (message.type !== 'chat') {
      void sends.run(key, async () => send(message.from, (await engine.handle({ channel: WHATSAPP_CHANNEL, userId: userIdOf(message.from), text: '', nonText: true })).replies));
      return;
    }
    joiner.push(message.from, message.body);
  });

  async function pushNotices(): Promise<void> {
    for (const { channel, userKey } of await engine.pendingNoticeKeys()) {
      const person = people.get(userKey);
      if (channel !== WHATSAPP_CHANNEL || !person) continue;
      void sends.run(userKey, async () => send(person.chatId, await engine.takeNotices(WHATSAPP_CHANNEL, userIdOf(person.chatId))));
    }
  }
  const noticeTimer = setInterval(() => {
    pushNotices().catch((error: unknown) => logger.error({ channel: WHATSAPP_CHANNEL, err: String(error) }, 'notice delivery failed'));
  }, options.noticeIntervalMs);
  noticeTimer.unref();

  async function start(delay = options.retryDelayMs): Promise<void> {
    if (closed) return;
    try {
      await client.initialize();
    } catch (error) {
      if (closed) return;
      logger.warn({ channel: WHATSAPP_CHANNEL, retryInMs: delay, err: error instanceof Error ? error.message : String(error) }, 'whatsapp start failed; retrying');
      await new Promise<void>((resolve) => {
        retryTimer = setTimeout(resolve, delay);
      });
      return start(Math.min(delay * 2, options.maxRetryDelayMs));
    }
  }

  return {
    start: () => start(),
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(noticeTimer);
      joiner.flushAll();
      await sends.idle();
      await client.destroy().catch(() => {});
    },
  };
}
