/**
 * Settings from the environment, validated once, with errors that name the variable to fix.
 */
import { fileURLToPath } from 'node:url';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { CabildoError } from '../errors.js';
import { consultationTimezone, DEFAULT_TIMEZONE } from '../content/timezone.js';
import type { Logger } from '../logger.js';

/** The repository root: where `intents/` and `data/` ship. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Settings {
  contentDir: string;
  /** The JSON store file (the default), or, when `databaseUrl` is set, the folder data sits beside. */
  dbFile: string;
  /** `CABILDO_DB=postgres://…`: the PostgreSQL store. */
  databaseUrl?: string;
  /** Connections per process to PostgreSQL (`CABILDO_DB_POOL`). */
  dbPoolSize: number;
  secret?: string;
  logLevel?: string;
  /** `CABILDO_PUBLIC_URL`: where the results pages are reached from outside. */
  publicUrl?: string;
  /** `CABILDO_MODEL_CACHE`: the folder the trained model is kept in between starts; absent when `off`. */
  modelCache?: string;
  clock: () => Date;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function readSettings(environment: NodeJS.ProcessEnv = process.env): Settings {
  // `.env.example` lists every variable empty: an empty value means "not set", for every setting.
  const env = Object.fromEntries(Object.entries(environment).filter(([, v]) => v !== undefined && v.trim() !== '')) as NodeJS.ProcessEnv;
  const contentDir = resolve(env.CABILDO_CONTENT ?? PROJECT_ROOT);
  // The choice is explicit: a postgres:// URL selects PostgreSQL, anything else is the JSON file.
  const databaseUrl = /^postgres(ql)?:\/\//.test(env.CABILDO_DB ?? '') ? env.CABILDO_DB : undefined;
  const dbFile = databaseUrl ? resolve(contentDir, 'data', 'db.json') : resolve(env.CABILDO_DB ?? resolve(contentDir, 'data', 'db.json'));
  const dbPoolSize = Number(env.CABILDO_DB_POOL ?? 10);
  if (!Number.isInteger(dbPoolSize) || dbPoolSize < 1 || dbPoolSize > 200) {
    throw new CabildoError('CONFIG_INVALID', `CABILDO_DB_POOL must be a whole number from 1 to 200 (got ${JSON.stringify(env.CABILDO_DB_POOL)}).`);
  }
  if (databaseUrl && !env.CABILDO_SECRET) {
    throw new CabildoError(
      'CONFIG_INVALID',
      'CABILDO_SECRET is required with CABILDO_DB=postgres://…: the key that pseudonymises people is kept apart from the database (every instance needs the same one). Generate one with `openssl rand -base64 32`.',
    );
  }
  if (!databaseUrl && (env.CABILDO_DB?.endsWith('/') || (existsSync(dbFile) && statSync(dbFile).isDirectory()))) {
    throw new CabildoError('CONFIG_INVALID', `CABILDO_DB must name the store file, such as ${join(dbFile, 'db.json')} (got the folder ${dbFile}).`);
  }
  const secret = env.CABILDO_SECRET?.trim();
  if (secret !== undefined && secret.length < 16) {
    throw new CabildoError('CONFIG_INVALID', 'CABILDO_SECRET must be at least 16 characters long (or unset it to use a generated key).');
  }
  if (!secret && env.NODE_ENV === 'production') {
    throw new CabildoError(
      'CONFIG_INVALID',
      'CABILDO_SECRET is required when NODE_ENV=production: the key that pseudonymises people must not sit beside the store it protects. Generate one with `openssl rand -base64 32` and keep it in your secret manager.',
    );
  }
  if (env.CABILDO_PUBLIC_URL !== undefined && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(env.CABILDO_PUBLIC_URL)) {
    throw new CabildoError('CONFIG_INVALID', `CABILDO_PUBLIC_URL must be the address people reach this server at, such as https://consulta.municipio.cl (got ${JSON.stringify(env.CABILDO_PUBLIC_URL)}).`);
  }
  if (env.CABILDO_LOG_LEVEL !== undefined && !LOG_LEVELS.includes(env.CABILDO_LOG_LEVEL)) {
    throw new CabildoError('CONFIG_INVALID', `CABILDO_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(env.CABILDO_LOG_LEVEL)}).`);
  }
  // Beside the store by default: a folder this process can write to, and private to the deployment.
  const modelCache = env.CABILDO_MODEL_CACHE === 'off' ? undefined : resolve(env.CABILDO_MODEL_CACHE ?? join(dirname(dbFile), '.cache'));
  return {
    contentDir,
    dbFile,
    ...(modelCache ? { modelCache } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
    dbPoolSize,
    ...(secret ? { secret } : {}),
    ...(env.CABILDO_LOG_LEVEL ? { logLevel: env.CABILDO_LOG_LEVEL } : {}),
    ...(env.CABILDO_PUBLIC_URL ? { publicUrl: env.CABILDO_PUBLIC_URL } : {}),
    clock: clockFrom(env.CABILDO_NOW, env.CABILDO_NOW ? consultationTimezone(contentDir) : DEFAULT_TIMEZONE),
  };
}

/**
 * `CABILDO_NOW` freezes the clock for tests and demos: an ISO date (noon that day) or date-time,
 * read in the consultation's time zone (`timezone` in data/consultation.yaml), where the
 * calendar's days are reckoned, unless it carries its own offset (`Z`, `-03:00`).
 */
export function clockFrom(value: string | undefined, timezone = DEFAULT_TIMEZONE): () => Date {
  if (!value) return () => new Date();
  const local = DateTime.fromISO(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00` : value, { zone: timezone });
  if (!local.isValid) {
    const why = local.invalidReason === 'unsupported zone' ? `the consultation's timezone ${JSON.stringify(timezone)} is not a time zone` : `got ${JSON.stringify(value)}`;
    throw new CabildoError('CONFIG_INVALID', `CABILDO_NOW must be an ISO date or date-time such as 2027-03-15 or 2026-11-16T00:30 (${why}).`);
  }
  const fixed = local.toJSDate();
  return () => new Date(fixed);
}

/** JSON logs on stderr, so stdout stays clean for the chat and the JSON modes. */
export function createLogger(settings: Pick<Settings, 'logLevel'>, fallbackLevel = 'warn'): Logger {
  return pino({ level: settings.logLevel ?? fallbackLevel, base: undefined }, pino.destination(2));
}
