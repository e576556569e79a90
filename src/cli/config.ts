/**
 * Settings from the environment, validated once, with errors that name the variable to fix.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { CabildoError } from '../errors.js';
import type { Logger } from '../logger.js';

/** The repository root: where `intents/` and `data/` ship. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Settings {
  contentDir: string;
  dbFile: string;
  secret?: string;
  clock: () => Date;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const contentDir = resolve(env.CABILDO_CONTENT ?? PROJECT_ROOT);
  const dbFile = resolve(env.CABILDO_DB ?? resolve(contentDir, 'data', 'db.json'));
  const secret = env.CABILDO_SECRET?.trim();
  if (secret !== undefined && secret.length < 16) {
    throw new CabildoError('CONFIG_INVALID', 'CABILDO_SECRET must be at least 16 characters long (or unset it to use a generated key).');
  }
  return { contentDir, dbFile, ...(secret ? { secret } : {}), clock: clockFrom(env.CABILDO_NOW) };
}

/** `CABILDO_NOW` (an ISO date or date-time) freezes the clock for tests and demos. */
export function clockFrom(value: string | undefined): () => Date {
  if (!value) return () => new Date();
  const fixed = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00-03:00` : value);
  if (Number.isNaN(fixed.getTime())) {
    throw new CabildoError('CONFIG_INVALID', `CABILDO_NOW must be an ISO date such as 2027-03-15 (got ${JSON.stringify(value)}).`);
  }
  return () => new Date(fixed);
}

/** JSON logs on stderr, so stdout stays clean for the chat and the JSON modes. */
export function createLogger(env: NodeJS.ProcessEnv = process.env, fallbackLevel = 'warn'): Logger {
  return pino({ level: env.CABILDO_LOG_LEVEL ?? fallbackLevel, base: undefined }, pino.destination(2));
}
