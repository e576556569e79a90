/**
 * Sending through the Graph API (`WHATSAPP_API_URL` points it at another host, for tests).
 *
 * Failures Meta may clear on its own (429, 5xx, a network error or timeout) are retried with
 * exponential backoff and jitter, a bounded number of times (p-retry); any other 4xx is the
 * request's fault and is never retried.
 */
import pRetry from 'p-retry';
import type { GraphMessage } from './render.js';
import type { TemplateMessage } from './templates.js';

/** How to address a person: by phone number (`to`) or by business-scoped user id (`recipient`). */
export type Recipient = { to: string } | { recipient: string };

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** The first wait; each later one doubles, up to `maxTimeoutMs`, each multiplied by a random 1–2 (jitter). */
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

/** Four retries, waiting about 1, 2, 4 and 8 s (times 1–2 each): under a minute in all. */
export const DEFAULT_RETRY: RetryPolicy = { retries: 4, minTimeoutMs: 1000, maxTimeoutMs: 16_000 };

/** One request is given this long before it counts as a network failure. */
const REQUEST_TIMEOUT_MS = 15_000;

export interface GraphClientOptions {
  apiUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  token: string;
  retry?: RetryPolicy;
}

/** Meta's error code when a free-form message falls outside the 24-hour window: only a template may go. */
export const REENGAGEMENT_REQUIRED = 131047;

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
  ) {
    super(message);
  }

  /** Whether the same request may succeed later: rate limited, or Meta's side failed. */
  get transient(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

export class GraphClient {
  private readonly retry: RetryPolicy;

  constructor(private readonly options: GraphClientOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /** Sends one message; resolves once Meta accepted it. */
  async send(recipient: Recipient, message: GraphMessage | TemplateMessage): Promise<void> {
    await this.post({ messaging_product: 'whatsapp', recipient_type: 'individual', ...recipient, ...message });
  }

  /**
   * Marks an incoming message (and the ones before it) read, and with `typing` shows the typing
   * indicator until the reply is sent (or 25 s pass). One attempt: it is a courtesy, and a late
   * one would be wrong.
   */
  async markRead(messageId: string, typing: boolean): Promise<void> {
    await this.request({ messaging_product: 'whatsapp', status: 'read', message_id: messageId, ...(typing ? { typing_indicator: { type: 'text' } } : {}) });
  }

  private post(body: object): Promise<void> {
    return pRetry(() => this.request(body), {
      retries: this.retry.retries,
      minTimeout: this.retry.minTimeoutMs,
      maxTimeout: this.retry.maxTimeoutMs,
      factor: 2,
      randomize: true,
      // A 4xx other than 429 will fail the same way again (and could send twice what did go).
      shouldRetry: ({ error }) => !(error instanceof GraphError) || error.transient,
    });
  }

  private async request(body: object): Promise<void> {
    const { apiUrl, apiVersion, phoneNumberId, token } = this.options;
    const res = await fetch(`${apiUrl}/${apiVersion}/${phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!res.ok) {
      const payload = (await res.json().catch(() => ({}))) as { error?: { code?: number; message?: string } };
      throw new GraphError(res.status, payload.error?.code, payload.error?.message ?? `Graph API answered ${res.status}`);
    }
    await res.body?.cancel().catch(() => {});
  }
}
