/**
 * Server settings from the environment, checked at start-up: a missing or malformed value stops
 * the server with a message that names the variable. `.env.example` documents each one.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { CabildoError } from '../../src/index.js';
import type { WebchatSettings } from '../webchat/index.js';
import type { WhatsAppCloudSettings } from '../whatsapp/cloud/index.js';
import { parseTemplateRef } from '../whatsapp/cloud/templates.js';
import type { SlackSettings } from '../slack/index.js';
import type { EmailSettings } from '../email/index.js';
import { readEmailSettings } from '../email/settings.js';

export interface ServerSettings {
  port: number;
  host: string;
  /** Trust `X-Forwarded-For` from this many proxies in front (rate limits by client IP). */
  trustProxy: number;
  webchat: WebchatSettings;
  /** Present when the four WhatsApp Cloud API variables are set. */
  whatsappCloud?: WhatsAppCloudSettings;
  /** Present when Slack's tokens are set. */
  slack?: SlackSettings;
  /** The licence the open data at `/datos` is published under. */
  dataLicence: string;
  /** Present when `SMTP_URL` is set (with `MAIL_FROM` and `CABILDO_PUBLIC_URL`). */
  email?: EmailSettings;
  /** Present when `WHATSAPP_WEB=1`. */
  whatsappWeb?: { executablePath: string; sessionDir?: string; joinWindowMs: number; noticeIntervalMs: number };
}

/** The variables that together enable the WhatsApp Cloud API channel. */
const WHATSAPP_CLOUD_VARS = ['WHATSAPP_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'] as const;

const int = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be between ${min} and ${max}`);

/** An approved WhatsApp template as `name:language` (`cabildo_estado:es`); empty means none. */
const template = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v?.trim()) return undefined;
      const ref = parseTemplateRef(v);
      if (!ref) ctx.addIssue({ code: 'custom', message: `${name} must be a template name and language such as cabildo_estado:es` });
      return ref;
    });

const schema = z.object({
  PORT: int('PORT', 0, 65535).default(3978),
  HOST: z.string().min(1).default('0.0.0.0'),
  CABILDO_TRUST_PROXY: int('CABILDO_TRUST_PROXY', 0, 10).default(0),
  CABILDO_DATA_LICENSE: z.string().trim().min(1).max(100).default('CC BY 4.0'),
  CABILDO_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .refine((origins) => origins.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), 'CABILDO_ALLOWED_ORIGINS must be a comma-separated list of origins such as https://www.municipio.cl (no path, no trailing slash)'),
  CABILDO_CONVERSATION_TTL_MINUTES: int('CABILDO_CONVERSATION_TTL_MINUTES', 1, 24 * 60).default(30),
  CABILDO_MAX_CONVERSATIONS: int('CABILDO_MAX_CONVERSATIONS', 1, 1_000_000).default(10_000),
  CABILDO_MAX_SOCKETS: int('CABILDO_MAX_SOCKETS', 1, 1_000_000).default(10_000),
  CABILDO_PUBLIC_URL: z.string().regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'CABILDO_PUBLIC_URL must be the address people reach this server at, such as https://consulta.municipio.cl').optional(),
  CABILDO_WEB_USER_DAYS: int('CABILDO_WEB_USER_DAYS', 1, 3650).default(30),
  CABILDO_TOKENS_PER_IP_PER_MINUTE: int('CABILDO_TOKENS_PER_IP_PER_MINUTE', 1, 100_000).default(30),
  CABILDO_MESSAGES_PER_CONVERSATION_PER_MINUTE: int('CABILDO_MESSAGES_PER_CONVERSATION_PER_MINUTE', 1, 100_000).default(40),
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'SLACK_BOT_TOKEN must be a bot token (xoxb-…)').optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'SLACK_APP_TOKEN must be an app-level token (xapp-…)').optional(),
  SLACK_API_URL: z.url('SLACK_API_URL must be a URL').optional(),
  CABILDO_STAFF: z.string().regex(/^[SCG][A-Z0-9]+$/, 'CABILDO_STAFF must be a user group id (S…) or a channel id (C… or G…)').optional(),
  CABILDO_STAFF_CHANNEL: z.string().regex(/^[CG][A-Z0-9]+$/, 'CABILDO_STAFF_CHANNEL must be a channel id (C… or G…)').optional(),
  WHATSAPP_TOKEN: z.string().optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, 'WHATSAPP_PHONE_NUMBER_ID must be the numeric id Meta shows for the number').optional(),
  WHATSAPP_APP_SECRET: z.string().optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().optional(),
  WHATSAPP_API_URL: z.url('WHATSAPP_API_URL must be a URL such as https://graph.facebook.com').default('https://graph.facebook.com'),
  WHATSAPP_API_VERSION: z.string().regex(/^v\d+\.\d+$/, 'WHATSAPP_API_VERSION must look like v21.0').default('v21.0'),
  WHATSAPP_JOIN_WINDOW_MS: int('WHATSAPP_JOIN_WINDOW_MS', 0, 30_000).default(2000),
  WHATSAPP_NOTICE_INTERVAL_SECONDS: int('WHATSAPP_NOTICE_INTERVAL_SECONDS', 1, 3600).default(30),
  WHATSAPP_TEMPLATE_STATUS: template('WHATSAPP_TEMPLATE_STATUS'),
  WHATSAPP_TEMPLATE_DRAFT_OPEN: template('WHATSAPP_TEMPLATE_DRAFT_OPEN'),
  WHATSAPP_TEMPLATE_REMINDER: template('WHATSAPP_TEMPLATE_REMINDER'),
  WHATSAPP_WEB: z.enum(['0', '1'], 'WHATSAPP_WEB must be 1 (on) or 0 (off)').default('0'),
  WHATSAPP_SESSION_DIR: z.string().optional(),
  PUPPETEER_EXECUTABLE_PATH: z.string().default('/usr/bin/chromium'),
  MICROSOFT_APP_ID: z.string().optional(),
  MICROSOFT_APP_PASSWORD: z.string().optional(),
  MICROSOFT_APP_TENANT_ID: z.string().optional(),
  BOT_EMULATOR: z.enum(['0', '1'], 'BOT_EMULATOR must be 1 (on) or 0 (off)').default('0'),
  NODE_ENV: z.string().optional(),
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
  if (e.BOT_EMULATOR === '1' && e.NODE_ENV === 'production') {
    throw new CabildoError('CONFIG_INVALID', 'BOT_EMULATOR=1 turns off authentication on /api/messages and is refused when NODE_ENV=production; register the bot (MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD) instead.');
  }
  const cloudSet = WHATSAPP_CLOUD_VARS.filter((name) => e[name]);
  if (cloudSet.length && cloudSet.length < WHATSAPP_CLOUD_VARS.length) {
    const missing = WHATSAPP_CLOUD_VARS.filter((name) => !e[name]);
    throw new CabildoError('CONFIG_INVALID', `The WhatsApp Cloud API needs ${missing.join(', ')} too (set all four of ${WHATSAPP_CLOUD_VARS.join(', ')}, or none).`);
  }
  const slackWanted = Boolean(e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN);
  if (slackWanted) {
    if (!e.SLACK_BOT_TOKEN) throw new CabildoError('CONFIG_INVALID', 'Slack needs SLACK_BOT_TOKEN (xoxb-…), with SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode).');
    if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) throw new CabildoError('CONFIG_INVALID', 'Slack needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode).');
    if (!e.CABILDO_STAFF) throw new CabildoError('CONFIG_INVALID', 'Slack needs CABILDO_STAFF: the user group (S…) or channel (C…) whose members review proposals.');
  }
  if (e.WHATSAPP_WEB === '1' && !existsSync(e.PUPPETEER_EXECUTABLE_PATH)) {
    throw new CabildoError('CONFIG_INVALID', `WHATSAPP_WEB=1 needs a browser at PUPPETEER_EXECUTABLE_PATH (${e.PUPPETEER_EXECUTABLE_PATH}): apt-get install chromium, or point the variable at one.`);
  }
  const email = readEmailSettings(env);
  return {
    ...(email ? { email } : {}),
    ...(slackWanted
      ? {
          slack: {
            botToken: e.SLACK_BOT_TOKEN!,
            ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
            ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
            ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {}),
            staff: e.CABILDO_STAFF!,
            ...(e.CABILDO_STAFF_CHANNEL ? { staffChannel: e.CABILDO_STAFF_CHANNEL } : {}),
          },
        }
      : {}),
    ...(e.WHATSAPP_WEB === '1'
      ? {
          whatsappWeb: {
            executablePath: e.PUPPETEER_EXECUTABLE_PATH,
            ...(e.WHATSAPP_SESSION_DIR ? { sessionDir: e.WHATSAPP_SESSION_DIR } : {}),
            joinWindowMs: e.WHATSAPP_JOIN_WINDOW_MS,
            noticeIntervalMs: e.WHATSAPP_NOTICE_INTERVAL_SECONDS * 1000,
          },
        }
      : {}),
    ...(cloudSet.length
      ? {
          whatsappCloud: {
            token: e.WHATSAPP_TOKEN!,
            phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID!,
            appSecret: e.WHATSAPP_APP_SECRET!,
            verifyToken: e.WHATSAPP_VERIFY_TOKEN!,
            apiUrl: e.WHATSAPP_API_URL.replace(/\/$/, ''),
            apiVersion: e.WHATSAPP_API_VERSION,
            joinWindowMs: e.WHATSAPP_JOIN_WINDOW_MS,
            noticeIntervalMs: e.WHATSAPP_NOTICE_INTERVAL_SECONDS * 1000,
            templates: {
              ...(e.WHATSAPP_TEMPLATE_STATUS ? { status: e.WHATSAPP_TEMPLATE_STATUS } : {}),
              ...(e.WHATSAPP_TEMPLATE_DRAFT_OPEN ? { draftOpen: e.WHATSAPP_TEMPLATE_DRAFT_OPEN } : {}),
              ...(e.WHATSAPP_TEMPLATE_REMINDER ? { reminder: e.WHATSAPP_TEMPLATE_REMINDER } : {}),
            },
          },
        }
      : {}),
    port: e.PORT,
    host: e.HOST,
    trustProxy: e.CABILDO_TRUST_PROXY,
    dataLicence: e.CABILDO_DATA_LICENSE,
    webchat: {
      ...(e.MICROSOFT_APP_ID ? { microsoftAppId: e.MICROSOFT_APP_ID, microsoftAppPassword: e.MICROSOFT_APP_PASSWORD } : {}),
      ...(e.MICROSOFT_APP_TENANT_ID ? { microsoftAppTenantId: e.MICROSOFT_APP_TENANT_ID } : {}),
      emulator: e.BOT_EMULATOR === '1' && !e.MICROSOFT_APP_ID,
      allowedOrigins: e.CABILDO_ALLOWED_ORIGINS,
      conversationTtlMs: e.CABILDO_CONVERSATION_TTL_MINUTES * 60_000,
      maxConversations: e.CABILDO_MAX_CONVERSATIONS,
      maxSockets: e.CABILDO_MAX_SOCKETS,
      ...(e.CABILDO_PUBLIC_URL ? { publicOrigin: new URL(e.CABILDO_PUBLIC_URL).origin } : {}),
      webUserLifetimeMs: e.CABILDO_WEB_USER_DAYS * 24 * 60 * 60_000,
      tokensPerIpPerMinute: e.CABILDO_TOKENS_PER_IP_PER_MINUTE,
      messagesPerConversationPerMinute: e.CABILDO_MESSAGES_PER_CONVERSATION_PER_MINUTE,
    },
  };
}
