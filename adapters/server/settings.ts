/**
 * Server settings from the environment, checked at start-up: a missing or malformed value stops
 * the server with a message that names the variable. `.env.example` documents each one.
 */
import { z } from 'zod';
import { CabildoError } from '../../src/index.js';
import type { WebchatSettings } from '../webchat/index.js';

export interface ServerSettings {
  port: number;
  host: string;
  /** Trust `X-Forwarded-For` from this many proxies in front (rate limits by client IP). */
  trustProxy: number;
  webchat: WebchatSettings;
}

const int = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be between ${min} and ${max}`);

const schema = z.object({
  PORT: int('PORT', 0, 65535).default(3978),
  HOST: z.string().min(1).default('0.0.0.0'),
  CABILDO_TRUST_PROXY: int('CABILDO_TRUST_PROXY', 0, 10).default(0),
  CABILDO_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .refine((origins) => origins.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), 'CABILDO_ALLOWED_ORIGINS must be a comma-separated list of origins such as https://www.municipio.cl (no path, no trailing slash)'),
  CABILDO_CONVERSATION_TTL_MINUTES: int('CABILDO_CONVERSATION_TTL_MINUTES', 1, 24 * 60).default(30),
  CABILDO_TOKENS_PER_IP_PER_MINUTE: int('CABILDO_TOKENS_PER_IP_PER_MINUTE', 1, 100_000).default(30),
  CABILDO_MESSAGES_PER_CONVERSATION_PER_MINUTE: int('CABILDO_MESSAGES_PER_CONVERSATION_PER_MINUTE', 1, 100_000).default(40),
  MICROSOFT_APP_ID: z.string().optional(),
  MICROSOFT_APP_PASSWORD: z.string().optional(),
  MICROSOFT_APP_TENANT_ID: z.string().optional(),
});

export function readServerSettings(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CabildoError('CONFIG_INVALID', `${String(issue.path[0] ?? '')}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.MICROSOFT_APP_ID && !e.MICROSOFT_APP_PASSWORD) {
    throw new CabildoError('CONFIG_INVALID', 'MICROSOFT_APP_PASSWORD is required when MICROSOFT_APP_ID is set (Azure Bot Service registration).');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    trustProxy: e.CABILDO_TRUST_PROXY,
    webchat: {
      ...(e.MICROSOFT_APP_ID ? { microsoftAppId: e.MICROSOFT_APP_ID, microsoftAppPassword: e.MICROSOFT_APP_PASSWORD } : {}),
      ...(e.MICROSOFT_APP_TENANT_ID ? { microsoftAppTenantId: e.MICROSOFT_APP_TENANT_ID } : {}),
      allowedOrigins: e.CABILDO_ALLOWED_ORIGINS,
      conversationTtlMs: e.CABILDO_CONVERSATION_TTL_MINUTES * 60_000,
      tokensPerIpPerMinute: e.CABILDO_TOKENS_PER_IP_PER_MINUTE,
      messagesPerConversationPerMinute: e.CABILDO_MESSAGES_PER_CONVERSATION_PER_MINUTE,
    },
  };
}
