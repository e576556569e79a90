/**
 * `npm start`: builds the engine and store once and serves every enabled channel.
 * SIGTERM or SIGINT: stop accepting, finish turns in flight, flush the store, exit 0 (within 10 s).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CabildoError, ContentError } from '../../src/index.js';
import { openEngine } from '../../src/cli/open.js';
import { readServerSettings } from './settings.js';
import { startServer } from './index.js';
import { createWebClient, printQr } from '../whatsapp/web/client.js';

const SHUTDOWN_LIMIT_MS = 10_000;

// `.env` in the folder `npm start` runs from, when there is one (`cp .env.example .env`);
// variables already set in the environment win over it.
if (existsSync('.env')) {
  // process.loadEnvFile arrived in Node 20.12.
  if (typeof process.loadEnvFile !== 'function') {
    process.stderr.write(`Cannot read .env: Node ${process.version} is too old (20.12 or later reads it). Upgrade Node, or set the variables in the environment.\n`);
    process.exit(1);
  }
  process.loadEnvFile('.env');
}

try {
  // Server settings first: a malformed one stops start-up before the store is opened.
  const serverSettings = readServerSettings();
  const { engine, store, settings, logger } = await openEngine('info');
  if (!settings.secret && !settings.databaseUrl) {
    logger.warn(
      { keyFile: `${settings.dbFile}.secret` },
      'CABILDO_SECRET is not set: people are pseudonymised with a key generated beside the store, fit for a local trial only. Set CABILDO_SECRET (kept apart from the store) before serving the public.',
    );
  }
  const web = serverSettings.whatsappWeb;
  const server = await startServer(
    {
      engine,
      store,
      logger,
      ...(web ? { whatsappWebClient: createWebClient(web.sessionDir ?? join(dirname(settings.dbFile), 'whatsapp-session'), web.executablePath), showQr: printQr } : {}),
    },
    serverSettings,
  );
  process.stdout.write(`Cabildo is listening on ${server.url.replace('127.0.0.1', 'localhost')}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({}, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  const message = error instanceof ContentError || error instanceof CabildoError ? error.message : String(error instanceof Error ? error.stack : error);
  process.stderr.write(`cabildo: cannot start: ${message}\n`);
  process.exit(1);
}
