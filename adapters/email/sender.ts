/**
 * Sends the email outbox through SMTP (nodemailer). Every tick it takes the due entries (leased,
 * so two instances never send the same one), looks the address up where the person left it,
 * skips people without consent or who unsubscribed, and sends. An entry leaves the outbox only
 * once the SMTP server accepted the message, or will never accept it: a temporary failure (a 4xx
 * reply, a lost connection) is retried with exponential backoff and jitter, a bounded number of
 * times; a permanent one (5xx) is logged and dropped. Logs carry codes, never addresses or text.
 *
 * Delivery is at least once: if the process dies between the server's acceptance and the
 * removal from the outbox, that one message goes again after the restart.
 */
import type { Transporter } from 'nodemailer';
import type { Engine, Logger, Proposal, SignUp, Store } from '../../src/index.js';
import { localDate } from '../../src/answers/timeline.js';
import { emailAddressKey, emailAddressOf, type EmailItem, type OutboxEntry } from '../../src/store/outbox.js';
import { composeEmail } from './message.js';
import { unsubscribeUrl } from './unsubscribe.js';

export interface SenderOptions {
  /** The From header (`MAIL_FROM`). */
  from: string;
  /** `CABILDO_PUBLIC_URL`, for the links in the emails. */
  publicUrl: string;
  /** How often the outbox is read. */
  intervalMs: number;
  /** Entries taken per tick. */
  batch: number;
  /** How long a taken entry is kept from other senders; longer than a batch can take. */
  leaseMs: number;
  /** First retry delay, doubled on each failure up to `retryMaxMs` (with jitter). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Attempts before a temporarily failing email is given up. */
  maxAttempts: number;
  /** An entry queued longer ago than this is dropped unsent (a backlog found late is out of season). */
  maxAgeMs: number;
  /** Wall clock for the outbox's timing (never the engine's clock, which CABILDO_NOW may freeze). */
  now?: () => Date;
}

export const SENDER_DEFAULTS = {
  intervalMs: 15_000,
  batch: 10,
  leaseMs: 15 * 60_000,
  retryBaseMs: 60_000,
  retryMaxMs: 60 * 60_000,
  maxAttempts: 10,
  maxAgeMs: 3 * 24 * 60 * 60_000,
} satisfies Partial<SenderOptions>;

/** How a failed send is treated: tried again later, or never. */
export function failureKind(error: unknown): 'temporary' | 'permanent' {
  const { responseCode, code } = (error ?? {}) as { responseCode?: unknown; code?: unknown };
  // RFC 5321: 5yz is a permanent rejection, except 503 (bad sequence: a new session may pass).
  if (typeof responseCode === 'number') return responseCode >= 500 && responseCode !== 503 ? 'permanent' : 'temporary';
  // A malformed envelope or message will be malformed next time too; anything else (a refused
  // or lost connection, a timeout, DNS) may pass later.
  return code === 'EENVELOPE' || code === 'EMESSAGE' ? 'permanent' : 'temporary';
}

/** The delay before attempt `attempts + 1`: exponential, capped, with jitter (50–100 %). */
export function retryDelay(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const full = Math.min(maxMs, baseMs * 2 ** attempts);
  return Math.round(full * (0.5 + random() / 2));
}

type Outcome = 'sent' | 'no_address' | 'unsubscribed' | 'stale' | 'retry' | 'permanent_failure' | 'gave_up';

export class EmailSender {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly now: () => Date;

  constructor(
    private readonly engine: Engine,
    private readonly store: Store,
    private readonly transport: Transporter,
    private readonly options: SenderOptions,
    private readonly log: Logger,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    void this.tick();
  }

  /** One pass over the outbox; a pass still running is joined, never doubled. */
  tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.running ??= this.pass()
      .catch((error: unknown) => this.log.error({ channel: 'email', err: (error as { code?: string }).code ?? 'UNEXPECTED' }, 'email pass failed'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.running;
    this.transport.close();
  }

  private async pass(): Promise<void> {
    await this.engine.calendarNotices().catch((error: unknown) => this.log.error({ channel: 'email', err: String(error) }, 'calendar notices failed'));
    const outbox = this.store.emailOutbox();
    for (;;) {
      const entries = await outbox.due(this.now(), this.options.batch, this.options.leaseMs);
      for (const entry of entries) {
        // Closing: what is left stays leased in the outbox for the next start (or instance).
        if (this.closed) return;
        const outcome = await this.deliver(entry);
        this.log.info({ channel: 'email', kind: entry.item.kind ?? 'status', outcome, attempts: entry.attempts + 1 }, 'email');
      }
      if (entries.length < this.options.batch) return;
    }
  }

  private async deliver(entry: OutboxEntry): Promise<Outcome> {
    const outbox = this.store.emailOutbox();
    const { item } = entry;
    const drop = async (outcome: Outcome) => {
      await outbox.sent(entry.id);
      return outcome;
    };
    if (this.now().getTime() - Date.parse(entry.queuedAt) > this.options.maxAgeMs || this.tablePassed(item)) return drop('stale');
    const { proposal, signUp } = await this.recordsOf(item);
    const address = emailAddressOf(item, proposal, signUp);
    if (!address) return drop('no_address');
    const addressKey = emailAddressKey(this.store.userKey, address);
    if (await outbox.unsubscribed(addressKey)) return drop('unsubscribed');

    const link = unsubscribeUrl(this.options.publicUrl, this.store.userKey, addressKey);
    const mail = composeEmail(this.engine.content, item, { ...(proposal ? { proposal } : {}), ...(signUp ? { signUp } : {}), publicUrl: this.options.publicUrl, unsubscribeUrl: link });
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: address,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: {
          'List-Unsubscribe': `<${link}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'Auto-Submitted': 'auto-generated',
        },
      });
    } catch (error) {
      const { code, responseCode } = error as { code?: string; responseCode?: number };
      // The code and reply code only: the server's message may quote the address.
      const facts = { channel: 'email', kind: item.kind ?? 'status', code, responseCode, attempts: entry.attempts + 1 };
      if (failureKind(error) === 'permanent') {
        this.log.error(facts, 'email refused for good; not retried');
        return drop('permanent_failure');
      }
      if (entry.attempts + 1 >= this.options.maxAttempts) {
        this.log.error(facts, 'email still failing after the last attempt; given up');
        return drop('gave_up');
      }
      this.log.warn(facts, 'email failed for now; will retry');
      await outbox.retry(entry.id, new Date(this.now().getTime() + retryDelay(entry.attempts, this.options.retryBaseMs, this.options.retryMaxMs)));
      return 'retry';
    }
    return drop('sent');
  }

  /** A table's confirmation or reminder after its day is of no use. */
  private tablePassed(item: EmailItem): boolean {
    if (!('tableId' in item)) return false;
    const table = this.engine.content.workTables.find((t) => t.id === item.tableId);
    return table !== undefined && table.date < localDate(this.engine.now(), this.engine.content.consultation.timezone);
  }

  private async recordsOf(item: EmailItem): Promise<{ proposal?: Proposal; signUp?: SignUp }> {
    if ('proposalId' in item) {
      const proposal = await this.store.get(item.proposalId);
      return proposal ? { proposal } : {};
    }
    if ('tableId' in item) {
      const signUp = (await this.store.signUps(item.tableId)).find((x) => x.code === item.code);
      return signUp ? { signUp } : {};
    }
    return {};
  }
}
