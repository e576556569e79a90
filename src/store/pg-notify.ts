/**
 * PostgreSQL LISTEN/NOTIFY for one channel, keyed by payload: one dedicated connection per
 * process while anyone listens, closed when the last one leaves. A lost connection is opened
 * again with backoff, and every listener is then called once, since notifications sent
 * meanwhile are lost: listeners treat a call as "look again", never as a message.
 */
import pg from 'pg';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;
/** A connection with no listener left stays this long, so a reconnecting socket does not reopen it. */
const LINGER_MS = 5_000;

export class PgNotifications {
  private readonly listeners = new Map<string, Set<() => void>>();
  private client: pg.Client | undefined;
  private opening: Promise<void> | undefined;
  private retryMs = RETRY_MIN_MS;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: pg.ClientConfig,
    /** A plain identifier (letters, digits, underscores). */
    private readonly channel: string,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
  }

  /** Calls `onNotify` for each notification carrying `key`, and after a reconnection. */
  listen(key: string, onNotify: () => void): () => void {
    const entry = () => onNotify();
    const set = this.listeners.get(key) ?? new Set();
    set.add(entry);
    this.listeners.set(key, set);
    this.ensureOpen();
    return () => {
      set.delete(entry);
      if (!set.size && this.listeners.get(key) === set) this.listeners.delete(key);
      if (!this.listeners.size) this.scheduleClose();
    };
  }

  private ensureOpen(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.client || this.opening) return;
    this.opening = this.open().finally(() => {
      this.opening = undefined;
    });
  }

  private async open(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel !== this.channel || !message.payload) return;
      for (const onNotify of [...(this.listeners.get(message.payload) ?? [])]) onNotify();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch {
      await client.end().catch(() => {});
      this.retryLater();
      return;
    }
    if (!this.listeners.size) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.retryMs = RETRY_MIN_MS;
    // Anything appended while nobody listened: everyone looks again.
    for (const set of [...this.listeners.values()]) for (const onNotify of [...set]) onNotify();
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => {});
    if (this.listeners.size) this.retryLater();
  }

  private retryLater(): void {
    if (!this.listeners.size || this.timer) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.ensureOpen();
    }, delay);
    this.timer.unref();
  }

  private scheduleClose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.listeners.size) return;
      const client = this.client;
      this.client = undefined;
      client?.end().catch(() => {});
    }, LINGER_MS);
    this.timer.unref();
  }

  /** Closes the connection now (the store is closing). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
    await this.opening;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
