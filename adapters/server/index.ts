/**
 * The one HTTP server: every enabled channel on one engine and one store, `/healthz`, JSON
 * request logs without bodies, and a graceful close (stop accepting, finish turns in flight,
 * flush the store).
 */
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { INTENT_NAMES, type Engine, type Logger, type Store } from '../../src/index.js';
import { createWebchatAdapter } from '../webchat/index.js';
import { createResultsRouter } from '../results/index.js';
import { createWhatsAppCloudAdapter } from '../whatsapp/cloud/index.js';
import { createSlackAdapter } from '../slack/index.js';
import { createEmailAdapter } from '../email/index.js';
import { createWhatsAppWebAdapter, type WebClient } from '../whatsapp/web/index.js';
import type { ServerSettings } from './settings.js';

export interface RunningServer {
  url: string;
  /** Stops accepting, lets requests and turns in flight finish, then closes the store. */
  close(): Promise<void>;
  /** What the server holds in memory for the web chat. */
  stats(): Promise<{ webchatConversations: number; webchatTokens: number }>;
}

export interface ServerDeps {
  engine: Engine;
  store: Store;
  logger: Logger;
  /** The whatsapp-web.js client, when `WHATSAPP_WEB=1` (the real one, or a stand-in in tests). */
  whatsappWebClient?: WebClient;
  /** Shows whatsapp-web.js's pairing QR code. */
  showQr?: (qr: string) => void;
}

/** Largest request body; a message is at most 20,000 characters, plus the activity around it. */
const BODY_LIMIT = '128kb';

export async function startServer(deps: ServerDeps, settings: ServerSettings): Promise<RunningServer> {
  const { engine, store, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', settings.trustProxy);

  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      // The route's pattern, never the path: paths carry conversation ids, query strings tokens.
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : res.statusCode === 404 ? '(no route)' : '(static file)';
      logger.info({ method: req.method, route, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request');
    });
    next();
  });
  // Channels that check a signature over the raw body mount before the JSON parser.
  const whatsapp = settings.whatsappCloud ? createWhatsAppCloudAdapter(engine, store, settings.whatsappCloud, logger) : undefined;
  if (whatsapp) app.use(whatsapp.router);
  const slack = settings.slack ? createSlackAdapter(engine, store, settings.slack, logger) : undefined;
  if (slack?.router) app.use(slack.router);
  await slack?.start();
  app.use(express.json({ limit: BODY_LIMIT }));

  app.get('/healthz', async (_req, res) => {
    const intentsLoaded = INTENT_NAMES.every((name) => engine.content.intents.has(name));
    const store = await deps.store.health();
    const ok = intentsLoaded && store.ok;
    res.status(ok ? 200 : 503).json({ ok, intentsLoaded, store });
  });

  const whatsappWeb =
    settings.whatsappWeb && deps.whatsappWebClient
      ? createWhatsAppWebAdapter(engine, deps.whatsappWebClient, { ...settings.whatsappWeb, retryDelayMs: 2000, maxRetryDelayMs: 60_000, showQr: deps.showQr ?? (() => {}) }, logger)
      : undefined;
  // In the background: the phone may take a while to pair, and the web chat serves meanwhile.
  // One linked phone serves one instance: the others leave it to the one holding the claim.
  if (whatsappWeb) {
    void engine.claim('whatsapp-web').then(
      (held) => (held ? whatsappWeb.start() : logger.warn({ channel: 'whatsapp' }, 'whatsapp-web.js runs on another instance of this store; not starting it here')),
      (error: unknown) => logger.error({ channel: 'whatsapp', err: String(error) }, 'whatsapp-web.js claim failed'),
    );
  }

  const webchat = createWebchatAdapter(engine, deps.store, settings.webchat, logger);
  app.use(webchat.router);
  app.use(createResultsRouter(engine, deps.store, settings.dataLicence));
  // Email (SMTP_URL): the outbox's sender, and the unsubscribe link's pages.
  const email = settings.email ? createEmailAdapter(engine, deps.store, settings.email, logger) : undefined;
  if (email) app.use(email.router);

  app.use((_req, res) => res.status(404).json({ error: { code: 'NotFound', message: 'No such endpoint.' } }));
  const onError: ErrorRequestHandler = (error: { status?: number; type?: string; message?: string }, _req, res, _next) => {
    // Malformed or oversized bodies are the client's mistake: 4xx, never 5xx.
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error.message }, 'request failed');
    const message = error.type === 'entity.too.large' ? `The body is larger than ${BODY_LIMIT}.` : status === 400 ? 'The body is not valid JSON.' : 'Internal error.';
    if (!res.headersSent) res.status(status).json({ error: { code: status === 500 ? 'ServiceError' : 'BadArgument', message } });
  };
  app.use(onError);

  const server = app.listen(settings.port, settings.host);
  // WebSocket upgrades (Direct Line's stream); any other upgrade is refused.
  server.on('upgrade', (req, socket, head) => {
    if (!webchat.upgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host;
  logger.info({ port }, 'listening');
  email?.start();

  return {
    url: `http://${host}:${port}`,
    stats: async () => {
      const { conversations, tokens } = await webchat.counts();
      return { webchatConversations: conversations, webchatTokens: tokens };
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Stream sockets are closed now ("going away"): the server waits for them otherwise.
      webchat.close();
      await closed;
      await whatsapp?.close();
      await whatsappWeb?.close();
      await slack?.close();
      await email?.close();
      await engine.idle();
      await store.close();
    },
  };
}
