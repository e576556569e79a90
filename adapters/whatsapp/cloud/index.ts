/**
 * WhatsApp through the Cloud API: the webhook Meta calls (`GET` for the subscription check,
 * `POST` for messages, signed with the app secret), and replies through the Graph API.
 * Answers 200 at once, handles each message id once, and delivers status notices while the
 * person's 24-hour window is open (outside it only approved templates may be sent, so the
 * notice waits for their next message, where the engine delivers it).
 */
import express, { Router } from 'express';
import { KeyedQueue, type Engine, type Logger, type Reply } from '../../../src/index.js';
import { BurstJoiner } from '../burst.js';
import { pickOption, WHATSAPP_CHANNEL } from '../format.js';
import { GraphClient, GraphError } from './graph-client.js';
import { inboundMessages, inTimestampOrder, webhookSchema } from './payload.js';
import { renderCloud } from './render.js';
import { validSignature } from './verify.js';

/**
 * What a person opening the chat for the first time (a `request_welcome` message) is taken to
 * have said: the greeting gets the bot's welcome and its menu.
 */
export const WELCOME_TEXT = 'hola';

/** WhatsApp's customer-service window: free-form messages only this long after the person's last one. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface WhatsAppCloudSettings {
  token: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  apiUrl: string;
  apiVersion: string;
  /** Messages joined into one free-text answer when they arrive this close together. */
  joinWindowMs: number;
  /** How often waiting notices are looked for. */
  noticeIntervalMs: number;
}

export interface WhatsAppCloudAdapter {
  router: Router;
  /** Sends what is waiting and stops the timers. */
  close(): Promise<void>;
}

export function createWhatsAppCloudAdapter(engine: Engine, settings: WhatsAppCloudSettings, logger: Logger, now: () => number = Date.now): WhatsAppCloudAdapter {
  const graph = new GraphClient(settings);
  const sends = new KeyedQueue();
  /** In memory only, never logged or stored: the phone numbers of people seen in the last 24 hours. */
  const people = new Map<string, { phone: string; lastInbound: number; options?: string[] }>();

  async function send(phone: string, replies: Reply[]): Promise<void> {
    for (const reply of replies) {
      for (const message of renderCloud(reply)) {
        try {
          await graph.send(phone, message);
        } catch (error) {
          const code = error instanceof GraphError ? error.code : undefined;
          logger.error({ channel: WHATSAPP_CHANNEL, status: error instanceof GraphError ? error.status : undefined, code }, 'whatsapp send failed');
          return;
        }
      }
    }
  }

  function deliver(phone: string, text: string): void {
    const key = engine.userKey(WHATSAPP_CHANNEL, phone);
    const person = people.get(key);
    const resolved = pickOption(text, person?.options);
    void sends.run(key, async () => {
      const { replies } = await engine.handle({ channel: WHATSAPP_CHANNEL, userId: phone, text: resolved });
      const last = replies.at(-1)?.options;
      const entry = people.get(key);
      if (entry) entry.options = last;
      await send(phone, replies);
    });
  }

  const joiner = new BurstJoiner(settings.joinWindowMs, (phone) => engine.expectsFreeText(WHATSAPP_CHANNEL, phone), deliver);

  async function pushNotices(): Promise<void> {
    const t = now();
    for (const { channel, userKey } of await engine.pendingNoticeKeys()) {
      const person = people.get(userKey);
      if (channel !== WHATSAPP_CHANNEL || !person || t - person.lastInbound >= SERVICE_WINDOW_MS) continue;
      await sends.run(userKey, async () => send(person.phone, await engine.takeNotices(WHATSAPP_CHANNEL, person.phone)));
    }
    for (const [key, p] of people) if (t - p.lastInbound >= SERVICE_WINDOW_MS) people.delete(key);
  }
  const timer = setInterval(() => {
    pushNotices().catch((error: unknown) => logger.error({ channel: WHATSAPP_CHANNEL, err: String(error) }, 'notice delivery failed'));
  }, settings.noticeIntervalMs);
  timer.unref();

  const router = Router();
  router.get('/whatsapp/webhook', (req, res) => {
    const ok = req.query['hub.mode'] === 'subscribe' && req.query['hub.verify_token'] === settings.verifyToken;
    if (!ok) return res.status(403).json({ error: 'verify token mismatch' });
    res.type('text/plain').send(String(req.query['hub.challenge'] ?? ''));
  });

  // The raw bytes are needed: the signature covers them, not a re-serialised JSON.
  router.post('/whatsapp/webhook', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!validSignature(raw, req.get('x-hub-signature-256'), settings.appSecret)) return res.status(401).json({ error: 'bad signature' });
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return res.status(400).json({ error: 'body is not JSON' });
    }
    // Only the envelope decides between 200 and 400: a malformed message inside a real delivery
    // is skipped below, so that the other messages in it are still answered (a 400 would make
    // Meta retry the whole delivery, and fail again, for days).
    const body = webhookSchema.safeParse(json);
    if (!body.success) return res.status(400).json({ error: 'not a WhatsApp webhook body' });
    // Meta retries unless it hears 200 quickly, so work starts after the answer.
    res.sendStatus(200);
    const { messages, skipped } = inboundMessages(body.data, [settings.phoneNumberId]);
    // Reasons and schema paths only: never the text or the sender.
    for (const s of skipped) {
      if (s.reason === 'invalid') logger.warn({ channel: WHATSAPP_CHANNEL, reason: s.reason, issues: s.issues }, 'whatsapp message skipped');
      else logger.debug({ channel: WHATSAPP_CHANNEL, reason: s.reason }, 'whatsapp message ignored');
    }
    for (const message of inTimestampOrder(messages)) {
      // Meta retries, and behind a load balancer a retry may reach another instance: the store decides.
      const first = await engine.firstDelivery(WHATSAPP_CHANNEL, message.id).catch((error: unknown) => {
        // Better answered twice than never: the turn itself reports a store failure to the person.
        logger.error({ channel: WHATSAPP_CHANNEL, err: String(error) }, 'delivery check failed');
        return true;
      });
      if (!first) continue;
      const key = engine.userKey(WHATSAPP_CHANNEL, message.from);
      const known = people.get(key);
      people.set(key, { phone: message.from, lastInbound: now(), ...(known?.options ? { options: known.options } : {}) });
      if (message.kind === 'welcome') {
        deliver(message.from, WELCOME_TEXT);
      } else if (message.kind === 'nonText' || message.text === undefined) {
        void sends.run(key, async () => send(message.from, (await engine.handle({ channel: WHATSAPP_CHANNEL, userId: message.from, text: '', nonText: true })).replies));
      } else {
        joiner.push(message.from, message.text, message.timestamp);
      }
    }
  });

  return {
    router,
    async close() {
      clearInterval(timer);
      joiner.flushAll();
      await sends.idle();
    },
  };
}
