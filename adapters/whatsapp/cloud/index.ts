/**
 * WhatsApp through the Cloud API: the webhook Meta calls (`GET` for the subscription check,
 * `POST` for messages, signed with the app secret), and replies through the Graph API.
 * Answers 200 at once and handles each message id once. A person is one person whether Meta
 * names them by phone number, business-scoped user id (BSUID) or both (see identity.ts).
 *
 * Status notices go out while the person's 24-hour window is open (the time of their last
 * message is kept in the store, so it survives restarts and serves every instance); outside it,
 * as the approved template configured for the notice's kind, or, without one, they wait for the
 * person's next message. A notice counts as delivered only once Meta accepted it.
 */
import express, { Router } from 'express';
import { KeyedQueue, type Engine, type Logger, type Reply, type Store } from '../../../src/index.js';
import { BurstJoiner } from '../burst.js';
import { pickOption, WHATSAPP_CHANNEL } from '../format.js';
import { GraphClient, GraphError, REENGAGEMENT_REQUIRED, type Recipient, type RetryPolicy } from './graph-client.js';
import { addressOf, identify, parseAddress, recipientOf, type Address } from './identity.js';
import { bsuidSchema, inboundMessages, inTimestampOrder, senderId, senderIds, webhookSchema, type CloudInbound } from './payload.js';
import { renderCloud } from './render.js';
import { noticeTemplate, type NoticeTemplates } from './templates.js';
import { validSignature } from './verify.js';

/**
 * What a person opening the chat for the first time (a `request_welcome` message) is taken to
 * have said: the greeting gets the bot's welcome and its menu.
 */
export const WELCOME_TEXT = 'hola';

/** WhatsApp's customer-service window: free-form messages only this long after the person's last one. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** People whose last options (for answering by number) are remembered, per process. */
const MAX_REMEMBERED = 100_000;

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
  /** Approved templates for notices outside the 24-hour window, by kind; a kind without one waits. */
  templates: NoticeTemplates;
  /** Retries of Graph API calls that may succeed later (default: graph-client's DEFAULT_RETRY). */
  retry?: RetryPolicy;
}

export interface WhatsAppCloudAdapter {
  router: Router;
  /** Sends what is waiting and stops the timers. */
  close(): Promise<void>;
}

export function createWhatsAppCloudAdapter(engine: Engine, store: Store, settings: WhatsAppCloudSettings, logger: Logger, now: () => number = Date.now): WhatsAppCloudAdapter {
  const graph = new GraphClient(settings);
  const sends = new KeyedQueue();
  const arrivals = new KeyedQueue();
  const log = (error: unknown, message: string) =>
    logger.error({ channel: WHATSAPP_CHANNEL, ...(error instanceof GraphError ? { status: error.status, code: error.code } : { err: error instanceof Error ? error.name : 'unknown' }) }, message);
  /** In memory only, a hint: each person's last options, to answer by number. */
  const options = new Map<string, string[] | undefined>();
  /** In memory only, never logged: the person key of each identifier seen, and the latest message still unanswered. */
  const persons = new Map<string, string>();
  const unanswered = new Map<string, string>();
  const remember = <V>(map: Map<string, V>, key: string, value: V) => {
    map.delete(key);
    if (map.size >= MAX_REMEMBERED) map.delete(map.keys().next().value!);
    map.set(key, value);
  };

  async function addressFor(key: string): Promise<Address | undefined> {
    const reach = await store.reach(key);
    return reach && parseAddress(reach.address);
  }

  /** Sends a reply's messages in order; throws at the first Meta did not accept (after retries). */
  async function sendReply(to: Recipient, reply: Reply): Promise<void> {
    for (const message of renderCloud(reply)) await graph.send(to, message);
  }

  /**
   * Sends the person's waiting notices: as messages while the window is open, else (or when Meta
   * says it closed) as their kind's template. Each is removed only once Meta accepted it.
   */
  function deliverWaiting(key: string, address: Address, open: boolean): Promise<number> {
    const to = recipientOf(address);
    return engine.deliverNotices(key, async (notice, reply) => {
      if (open) {
        try {
          await sendReply(to, reply);
          if (reply.options) remember(options, key, reply.options);
          return true;
        } catch (error) {
          // Meta's clock decides: past its window, the template is the only way.
          if (!(error instanceof GraphError && error.code === REENGAGEMENT_REQUIRED)) throw error;
        }
      }
      const template = noticeTemplate(notice, 'proposalId' in notice ? await store.get(notice.proposalId) : undefined, engine.content, settings.templates);
      if (!template) return false;
      await graph.send(to, template);
      return true;
    });
  }

  /** Answers one message (or a joined burst) from `userId`: read receipt and typing indicator, waiting notices, the turn, the reply. */
  function deliver(userId: string, text: string | undefined): void {
    const key = persons.get(userId) ?? engine.userKey(WHATSAPP_CHANNEL, userId);
    const messageId = unanswered.get(userId);
    unanswered.delete(userId);
    void sends.run(key, async () => {
      // Shown while the reply is prepared; never awaited alone, so it costs the reply no time.
      const reading = messageId ? graph.markRead(messageId, true).catch((error: unknown) => log(error, 'whatsapp read receipt failed')) : Promise.resolve();
      const address = await addressFor(key).catch(() => undefined);
      if (address) await deliverWaiting(key, address, true).catch((error: unknown) => log(error, 'whatsapp notice failed'));
      const inbound = text === undefined ? { channel: WHATSAPP_CHANNEL, userId, text: '', nonText: true } : { channel: WHATSAPP_CHANNEL, userId, text: pickOption(text, options.get(key)) };
      const { replies } = await engine.handle(inbound);
      remember(options, key, replies.at(-1)?.options);
      await reading;
      // Without what the store keeps (it failed), the identifier the message came from.
      const to = address ? recipientOf(address) : bsuidSchema.safeParse(userId).success ? { recipient: userId } : { to: userId };
      try {
        for (const reply of replies) await sendReply(to, reply);
      } catch (error) {
        log(error, 'whatsapp send failed');
      }
    });
  }

  const joiner = new BurstJoiner(settings.joinWindowMs, (userId) => engine.expectsFreeText(WHATSAPP_CHANNEL, userId), deliver);

  /** Who wrote: linked to one person, and the time and address of their message kept. */
  async function receive(message: CloudInbound): Promise<string> {
    const userId = senderId(message.from);
    try {
      const key = await identify(store, senderIds(message.from));
      remember(persons, userId, key);
      const previous = await addressFor(key);
      await store.setReach(key, new Date(now()), JSON.stringify(addressOf(message.from, previous)));
    } catch (error) {
      // The turn reports a store failure to the person; the reply goes where the message came from.
      log(error, 'whatsapp identity failed');
    }
    return userId;
  }

  /** A number or BSUID change: the new identifiers are linked to the person, and replies go to them. */
  async function changeIdentity(message: CloudInbound): Promise<void> {
    const fresh = message.now!;
    const key = await identify(store, [...senderIds(message.from), ...senderIds(fresh)]);
    const reach = await store.reach(key);
    // Not a message from the person: the window stays as it was.
    if (reach) await store.setReach(key, new Date(reach.lastInboundAt), JSON.stringify(addressOf(fresh)));
  }

  const anyTemplate = Object.values(settings.templates).some(Boolean);
  async function pushNotices(): Promise<void> {
    for (const { channel, userKey } of await engine.pendingNoticeKeys()) {
      if (channel !== WHATSAPP_CHANNEL) continue;
      const reach = await store.reach(userKey);
      const address = reach && parseAddress(reach.address);
      // People who wrote through whatsapp-web.js, or never through the Cloud API, have none.
      if (!reach || !address) continue;
      const open = now() - Date.parse(reach.lastInboundAt) < SERVICE_WINDOW_MS;
      if (!open && !anyTemplate) continue;
      await sends.run(userKey, () => deliverWaiting(userKey, address, open)).catch((error: unknown) => log(error, 'whatsapp notice failed'));
    }
  }
  let pushing = false;
  const timer = setInterval(() => {
    if (pushing) return;
    pushing = true;
    pushNotices()
      .catch((error: unknown) => log(error, 'notice delivery failed'))
      .finally(() => (pushing = false));
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
    // Queued per sender as they arrive: the store calls below take time, and one person's
    // messages must reach the joiner in the order they came, across concurrent deliveries too.
    for (const message of inTimestampOrder(messages)) {
      void arrivals.run(senderId(message.from), () => arrive(message)).catch((error: unknown) => log(error, 'whatsapp message failed'));
    }
  });

  async function arrive(message: CloudInbound): Promise<void> {
    // Meta retries, and behind a load balancer a retry may reach another instance: the store decides.
    const first = await engine.firstDelivery(WHATSAPP_CHANNEL, message.id).catch((error: unknown) => {
      // Better answered twice than never: the turn itself reports a store failure to the person.
      logger.error({ channel: WHATSAPP_CHANNEL, err: String(error) }, 'delivery check failed');
      return true;
    });
    if (!first) return;
    if (message.kind === 'identity') {
      await changeIdentity(message).catch((error: unknown) => log(error, 'whatsapp identity change failed'));
      return;
    }
    const userId = await receive(message);
    if (message.kind === 'welcome') {
      deliver(userId, WELCOME_TEXT);
    } else if (message.kind === 'nonText' || message.text === undefined) {
      remember(unanswered, userId, message.id);
      deliver(userId, undefined);
    } else {
      // A burst is answered once: the read receipt goes to its latest message.
      remember(unanswered, userId, message.id);
      joiner.push(userId, message.text, message.timestamp);
    }
  }

  return {
    router,
    async close() {
      clearInterval(timer);
      await arrivals.idle();
      joiner.flushAll();
      await sends.idle();
    },
  };
}
