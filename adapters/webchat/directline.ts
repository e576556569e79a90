/**
 * A Direct Line 3.0–compatible endpoint, so the official Web Chat widget talks to Cabildo
 * with no Azure account: tokens, conversations, posting activities and polling them.
 * Only what Web Chat and `botframework-directlinejs` use: the WebSocket stream (`streamUrl`, see
 * directline-stream.ts) and polling, for clients that ask for it.
 */
import { Router, type Request, type Response } from 'express';
import type { Activity, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { MAX_MESSAGE_LENGTH, type ChatConversation, type ChatConversations } from '../../src/index.js';
import type { RateLimiter } from '../server/rate-limit.js';
import { BOT_ACCOUNT, type DirectLineAdapter } from './directline-adapter.js';
import type { WebIdentities } from './web-identity.js';

export interface DirectLineOptions {
  /** Conversations, tokens and streams, kept by the store so any instance serves any conversation. */
  conversations: ChatConversations;
  adapter: DirectLineAdapter;
  logic: (context: TurnContext) => Promise<void>;
  /** Signed web user ids (the page's credential across visits). */
  identities: WebIdentities;
  /** Per client IP: requests that issue tokens (generate, refresh). */
  perIp: RateLimiter;
  /** Per conversation: token refreshes. */
  refreshesPerConversation: RateLimiter;
  /** Per conversation: posted activities. */
  perConversation: RateLimiter;
  /** The WebSocket stream's URL for a conversation, resuming after `watermark` when given. */
  streamUrl(req: Request, conversationId: string, watermark?: number): string;
}

/**
 * Body of `POST /tokens/generate`: optionally the credential this server gave the page on an
 * earlier visit. A `user.id` of the page's choosing is ignored: ids are issued, never chosen.
 */
const generateBody = z.object({ credential: z.string().regex(/^w1\.[\w.-]{1,200}$/).optional() }).loose();

/** Seconds a client is told to wait when the registry is full; idle conversations go within minutes. */
const FULL_RETRY_AFTER_S = 60;

/** What a client may post: a message (text may be absent, as with an attachment) or a typing signal. */
const postedActivity = z
  .object({
    type: z.enum(['message', 'typing', 'event']),
    text: z.string().optional(),
    locale: z.string().max(20).optional(),
  })
  .loose();

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function bearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

export function directLineRouter(options: DirectLineOptions): Router {
  const { conversations, adapter, logic, identities, perIp, refreshesPerConversation, perConversation, streamUrl } = options;
  const router = Router();

  /** The conversation the request's token reaches, answering 401/403 itself when there is none. */
  async function authorised(req: Request, res: Response, conversationId?: string): Promise<ChatConversation | undefined> {
    const token = bearer(req);
    if (!token) {
      fail(res, 401, 'TokenMissing', 'Authorization: Bearer <token> is required.');
      return undefined;
    }
    const conversation = await conversations.byToken(token);
    if (!conversation) {
      fail(res, 403, 'TokenInvalid', 'The token is unknown or expired.');
      return undefined;
    }
    if (conversationId !== undefined && conversation.id !== conversationId) {
      fail(res, 403, 'Forbidden', 'The token does not reach this conversation.');
      return undefined;
    }
    return conversation;
  }

  function limited(res: Response, retryAfter: number): boolean {
    if (!retryAfter) return false;
    res.setHeader('Retry-After', String(retryAfter));
    fail(res, 429, 'TooManyRequests', `Too many requests; try again in ${retryAfter} s.`);
    return true;
  }

  const conversationJson = (conversation: ChatConversation, issued: { token: string; expiresIn: number }) => ({
    conversationId: conversation.id,
    token: issued.token,
    expires_in: issued.expiresIn,
  });

  // Open on purpose: a page embedding the chat holds no secret. Each token reaches one new
  // conversation; the person is the signed id the page brings back, or a new one.
  router.post('/tokens/generate', async (req, res) => {
    if (limited(res, perIp.take(`ip:${req.ip}`))) return;
    const body = generateBody.safeParse(req.body ?? {});
    if (!body.success) return fail(res, 400, 'BadArgument', 'The body must be {} or {"credential": "<the credential this server issued>"}.');
    const origin = req.headers.origin ?? '';
    const presented = body.data.credential;
    // A guessed, altered, expired or foreign id is not honoured: the page gets a new person.
    const identity = (presented && identities.verify(presented, origin)) || identities.issue(origin);
    const conversation = await conversations.create(identity.userId);
    if (!conversation) {
      res.setHeader('Retry-After', String(FULL_RETRY_AFTER_S));
      return fail(res, 503, 'ServiceBusy', 'The chat is serving as many conversations as it can; try again in a minute.');
    }
    res.json({ ...conversationJson(conversation, await conversations.issueToken(conversation.id)), user: { id: identity.userId }, credential: identity.signed });
  });

  router.post('/tokens/refresh', async (req, res) => {
    const conversation = await authorised(req, res);
    if (!conversation) return;
    if (limited(res, Math.max(perIp.take(`ip:${req.ip}`), refreshesPerConversation.take(`conv:${conversation.id}`)))) return;
    res.json(conversationJson(conversation, await conversations.issueToken(conversation.id)));
  });

  router.post('/conversations', async (req, res) => {
    const conversation = await authorised(req, res);
    if (!conversation) return;
    // One welcome per conversation, even when two instances are asked at once.
    if (await conversations.start(conversation.id)) {
      const user = { id: conversation.userId, name: '', role: 'user' };
      await adapter.process(
        {
          type: 'conversationUpdate',
          channelId: 'directline',
          conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
          from: user,
          recipient: BOT_ACCOUNT,
          membersAdded: [user],
          serviceUrl: '',
        },
        logic,
      );
    }
    res.status(201).json({ ...conversationJson(conversation, await conversations.currentToken(conversation.id)), streamUrl: streamUrl(req, conversation.id) });
  });

  router.get('/conversations/:id', async (req, res) => {
    const conversation = await authorised(req, res, req.params.id);
    if (!conversation) return;
    // A reconnect: the new socket starts after the watermark the client has seen.
    const watermark = typeof req.query.watermark === 'string' && /^\d{1,10}$/.test(req.query.watermark) ? Number(req.query.watermark) : undefined;
    res.json({ ...conversationJson(conversation, await conversations.currentToken(conversation.id)), streamUrl: streamUrl(req, conversation.id, watermark) });
  });

  router.get('/conversations/:id/activities', async (req, res) => {
    const conversation = await authorised(req, res, req.params.id);
    if (!conversation) return;
    res.json(await conversations.since(conversation.id, Number(req.query.watermark ?? 0)));
  });

  router.post('/conversations/:id/activities', async (req, res) => {
    const conversation = await authorised(req, res, req.params.id);
    if (!conversation) return;
    if (limited(res, perConversation.take(`conv:${conversation.id}`))) return;
    const parsed = postedActivity.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, 'BadArgument', 'The body must be an activity with a "type" of message, typing or event.');
    if ((parsed.data.text?.length ?? 0) > MAX_MESSAGE_LENGTH) {
      return fail(res, 400, 'MessageTooLong', `A message has at most ${MAX_MESSAGE_LENGTH} characters.`);
    }
    // The client's own message goes into the stream first: Web Chat waits for this echo to mark
    // it sent. Identity comes from the token, never from the body.
    const activity: Partial<Activity> = {
      type: parsed.data.type,
      ...(parsed.data.text !== undefined ? { text: parsed.data.text } : {}),
      // What a person typed is shown back to them as typed, never rendered as markdown or HTML.
      textFormat: 'plain',
      ...(parsed.data.locale ? { locale: parsed.data.locale } : {}),
      // Web Chat matches its echo by clientActivityID; nothing else of channelData is kept.
      channelData: pickClientIds((req.body as { channelData?: unknown }).channelData),
      from: { id: conversation.userId, name: '', role: 'user' },
      recipient: BOT_ACCOUNT,
      conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
      channelId: 'directline',
      serviceUrl: '',
    };
    if (parsed.data.type === 'typing') return res.json({ id: '' });
    const id = await conversations.append(conversation.id, activity as Record<string, unknown>);
    await adapter.process({ ...activity, id }, logic);
    res.json({ id });
  });

  return router;
}

function pickClientIds(channelData: unknown): Record<string, string> {
  if (!channelData || typeof channelData !== 'object') return {};
  const out: Record<string, string> = {};
  for (const key of ['clientActivityID', 'clientTimestamp']) {
    const value = (channelData as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.length <= 100) out[key] = value;
  }
  return out;
}
