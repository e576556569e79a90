/**
 * The web-chat channel: the botbuilder bot on `POST /api/messages` (Azure Bot Service, Teams,
 * the Emulator), our Direct Line endpoint at `/v3/directline`, the demo page at `/` and the
 * one-line embed at `/embed.js`. Everything Bot Framework stays in this folder.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Engine, Logger, Store } from '../../src/index.js';
import { RateLimiter } from '../server/rate-limit.js';
import { acceptActivity, loopbackOnly } from './bot-framework-guard.js';
import { BOT_FRAMEWORK_CHANNEL, CabildoBot, WEBCHAT_CHANNEL } from './bot.js';
import { DirectLineAdapter } from './directline-adapter.js';
import { directLineRouter } from './directline.js';
import { DirectLineStreams } from './directline-stream.js';
import { LOGO_PATH, organizerOf, renderPage } from './page.js';
import { WebIdentities } from './web-identity.js';

export interface WebchatSettings {
  /** Microsoft app registration, for Azure Bot Service; without it `/api/messages` is off. */
  microsoftAppId?: string;
  microsoftAppPassword?: string;
  microsoftAppTenantId?: string;
  /** `BOT_EMULATOR=1`: `/api/messages` without authentication, for the Emulator on this machine only. */
  emulator: boolean;
  /** Origins allowed to call Direct Line from their own pages (CORS); empty: same origin only. */
  allowedOrigins: string[];
  /** Idle time after which a Direct Line conversation and its tokens are forgotten. */
  conversationTtlMs: number;
  /** Direct Line conversations held at once; past it new visitors get 503 for a while. */
  maxConversations: number;
  /** A web visitor's signed id expires after this long without a visit. */
  webUserLifetimeMs: number;
  /** Direct Line token requests per IP per minute, and messages per conversation per minute. */
  tokensPerIpPerMinute: number;
  messagesPerConversationPerMinute: number;
  /** Direct Line WebSocket streams open at once on this instance; past it new ones get 503. */
  maxSockets: number;
  /** How often stream sockets are pinged and checked (default 30 s; tests shorten it). */
  streamHeartbeatMs?: number;
  /** The origin people reach the server at (`CABILDO_PUBLIC_URL`): stream URLs point there (https gives wss). */
  publicOrigin?: string;
}

export interface WebchatAdapter {
  router: Router;
  /** The HTTP server's `upgrade` handler (Direct Line's WebSocket stream); false when the request is not ours. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Stops the expiry timer and closes the stream sockets. */
  close(): void;
  /** Open Direct Line conversations, and the live tokens reaching them. */
  counts(): Promise<{ conversations: number; tokens: number }>;
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** The ready Web Chat bundle (React included), served from node_modules, never from a CDN. */
// The package exports no file path, so the bundle is found from its CommonJS entry (lib/index.js).
const WEBCHAT_BUNDLE = join(dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');

/** Activities kept per Direct Line conversation (a long chat keeps its latest ones). */
const MAX_ACTIVITIES = 500;
/** Token refreshes per conversation per minute: Web Chat refreshes every 15 minutes. */
const REFRESHES_PER_MINUTE = 5;

export function createWebchatAdapter(engine: Engine, store: Store, settings: WebchatSettings, logger: Logger): WebchatAdapter {
  const onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ channel: 'webchat', err: error.message }, 'bot turn failed');
    await context.sendActivity('Tuve un problema técnico. Intenta de nuevo en un momento.');
  };

  const conversations = store.chatConversations({ ttlMs: settings.conversationTtlMs, maxConversations: settings.maxConversations, maxActivities: MAX_ACTIVITIES });
  const directLine = new DirectLineAdapter(conversations);
  directLine.onTurnError = onTurnError;
  const sweeper = setInterval(() => {
    conversations.sweep().catch((error: unknown) => logger.error({ channel: 'webchat', err: String(error) }, 'conversation sweep failed'));
  }, Math.min(60_000, settings.conversationTtlMs));
  sweeper.unref();
  // The signature is a MAC keyed with the store's secret, so ids survive restarts and no second secret is needed.
  const identities = new WebIdentities((message) => engine.userKey('webchat-id', message), settings.webUserLifetimeMs);
  const streams = new DirectLineStreams({
    conversations,
    mac: (message) => engine.userKey('directline-stream', message),
    logger,
    maxSockets: settings.maxSockets,
    ...(settings.streamHeartbeatMs ? { heartbeatMs: settings.streamHeartbeatMs } : {}),
    ...(settings.publicOrigin ? { publicOrigin: settings.publicOrigin } : {}),
  });

  const router = Router();
  // People on /api/messages and on Direct Line are told apart by channel, so one can never pose as the other.
  if (settings.microsoftAppId || settings.emulator) {
    const cloud = new CloudAdapter(
      new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: settings.microsoftAppId ?? '',
        MicrosoftAppPassword: settings.microsoftAppPassword ?? '',
        MicrosoftAppTenantId: settings.microsoftAppTenantId ?? '',
        MicrosoftAppType: settings.microsoftAppTenantId ? 'SingleTenant' : 'MultiTenant',
      }),
    );
    cloud.onTurnError = onTurnError;
    const bot = new CabildoBot(engine, BOT_FRAMEWORK_CHANNEL);
    const guards = settings.microsoftAppId ? [acceptActivity(false)] : [loopbackOnly, acceptActivity(true)];
    router.post('/api/messages', ...guards, (req, res) => cloud.process(req, res, (context) => bot.run(context)));
  }
  const webBot = new CabildoBot(engine, WEBCHAT_CHANNEL);
  router.use('/v3/directline', cors(settings.allowedOrigins), directLineRouter({
    conversations,
    adapter: directLine,
    logic: (context) => webBot.run(context),
    identities,
    perIp: new RateLimiter(settings.tokensPerIpPerMinute, 60_000),
    refreshesPerConversation: new RateLimiter(REFRESHES_PER_MINUTE, 60_000),
    perConversation: new RateLimiter(settings.messagesPerConversationPerMinute, 60_000),
    streamUrl: (req, conversationId, watermark) => streams.streamUrl(req, conversationId, watermark),
  }));
  router.get('/webchat/webchat.js', (_req, res) => res.sendFile(WEBCHAT_BUNDLE, { maxAge: '1d' }));
  // The page names who runs the consultation (data/consultation.yaml), filled in once, escaped.
  const page = renderPage(readFileSync(join(here, 'public', 'index.html'), 'utf8'), organizerOf(engine.content));
  router.get(['/', '/index.html'], (_req, res) => {
    res.type('html').setHeader('Cache-Control', 'no-cache');
    res.send(page);
  });
  const logo = engine.content.logoFile;
  if (logo) {
    router.get(LOGO_PATH, (_req, res) => {
      // An SVG opened on its own must not run scripts on this origin.
      res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.sendFile(logo, { maxAge: '1h' });
    });
  }
  router.use(express.static(join(here, 'public'), { index: false }));

  return {
    router,
    upgrade: (req, socket, head) => streams.handleUpgrade(req, socket, head),
    close: () => {
      clearInterval(sweeper);
      streams.close();
    },
    counts: () => conversations.counts(),
  };
}

/** CORS for pages on other sites that call Direct Line directly; only the listed origins. */
function cors(allowed: string[]) {
  return (req: express.Request, res: express.Response, next: express.NextFunction) => {
    const origin = req.headers.origin;
    if (origin && allowed.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    if (req.method === 'OPTIONS') {
      res.status(origin && allowed.includes(origin) ? 204 : 403).end();
      return;
    }
    next();
  };
}
