/**
 * The email outbox in the embedded store's document (the JSON file, or memory): entries and the
 * unsubscribe list live beside the notices, so queueing one is part of the write that creates
 * the notice. One process owns the file, so leases are kept in this process's memory only: after
 * a restart every entry is due again at once (the retry times are on disk).
 */
import type { EmailItem, EmailOutbox, OutboxEntry } from './outbox.js';
import type { Document, StoreData } from './store.js';

/** An outbox entry as the document keeps it. */
export interface StoredOutboxEntry extends OutboxEntry {
  /** Not due before this time (absent: due at once). */
  nextAt?: string;
}

/** Queues `item` in the document (the caller persists it with the change that made it). */
export function queueEmail(data: StoreData, item: EmailItem, now: Date = new Date()): void {
  const seq = (data.outboxSeq ?? 0) + 1;
  data.outboxSeq = seq;
  (data.outbox ??= []).push({ id: String(seq), item, attempts: 0, queuedAt: now.toISOString() });
}

export class DocumentEmailOutbox implements EmailOutbox {
  /** Entries handed to the sender, by id, with the time their lease ends. */
  private readonly leases = new Map<string, number>();

  constructor(private readonly doc: Document<StoreData>) {}

  private get entries(): StoredOutboxEntry[] {
    return (this.doc.data.outbox ??= []);
  }

  async due(now: Date, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    const t = now.getTime();
    const due = this.entries.filter((e) => (!e.nextAt || Date.parse(e.nextAt) <= t) && (this.leases.get(e.id) ?? 0) <= t).slice(0, limit);
    for (const e of due) this.leases.set(e.id, t + leaseMs);
    return due.map(({ id, item, attempts, queuedAt }) => structuredClone({ id, item, attempts, queuedAt }));
  }

  async sent(id: string): Promise<void> {
    this.leases.delete(id);
    const before = this.entries.length;
    this.doc.data.outbox = this.entries.filter((e) => e.id !== id);
    if (this.doc.data.outbox.length !== before) await this.doc.persist();
  }

  async retry(id: string, at: Date): Promise<void> {
    const entry = this.entries.find((e) => e.id === id);
    this.leases.delete(id);
    if (!entry) return;
    entry.attempts++;
    entry.nextAt = at.toISOString();
    await this.doc.persist();
  }

  async unsubscribe(addressKey: string, _now: Date): Promise<void> {
    const list = (this.doc.data.unsubscribed ??= []);
    if (list.includes(addressKey)) return;
    list.push(addressKey);
    await this.doc.persist();
  }

  async unsubscribed(addressKey: string): Promise<boolean> {
    return (this.doc.data.unsubscribed ?? []).includes(addressKey);
  }
}
