/**
 * Email for the people who gave an address with consent: status answers, draft invitations,
 * work-table confirmations and reminders, sent from the store's outbox through the SMTP server
 * in `SMTP_URL`, with an unsubscribe link served here. Without `SMTP_URL` none of it runs.
 */
import nodemailer from 'nodemailer';
import type { Router } from 'express';
import type { Engine, Logger, Store } from '../../src/index.js';
import { EmailSender, SENDER_DEFAULTS, type SenderOptions } from './sender.js';
import { createUnsubscribeRouter } from './unsubscribe.js';

export interface EmailSettings extends Omit<SenderOptions, 'now'> {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
  smtpUrl: string;
}

export interface EmailAdapter {
  /** The unsubscribe pages. */
  router: Router;
  start(): void;
  /** Stops sending; an email in flight finishes first. */
  close(): Promise<void>;
}

export { SENDER_DEFAULTS };

export function createEmailAdapter(engine: Engine, store: Store, settings: EmailSettings, logger: Logger, now?: () => Date): EmailAdapter {
  const transport = nodemailer.createTransport({
    url: settings.smtpUrl,
    // Bounded, so one stuck server cannot hold a batch past its lease.
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  const sender = new EmailSender(engine, store, transport, { ...settings, ...(now ? { now } : {}) }, logger);
  return {
    router: createUnsubscribeRouter(store, logger),
    start: () => sender.start(),
    close: () => sender.close(),
  };
}
