/**
 * People on WhatsApp split one answer into several messages. While the bot waits for a
 * free-text answer, messages from the same person that arrive within a short window are joined
 * into one; anything else goes through at once. The parts are joined in the order they were
 * written (`order`, the message's timestamp, when the channel gives one), not the order they
 * arrived in, since deliveries can overtake each other.
 */
export class BurstJoiner {
  private readonly pending = new Map<string, { parts: { text: string; order: number; seq: number }[]; timer: NodeJS.Timeout }>();

  constructor(
    private readonly windowMs: number,
    /** Whether this person's next message answers a free-text question. */
    private readonly expectsFreeText: (user: string) => boolean,
    private readonly deliver: (user: string, text: string) => void,
  ) {}

  /** `order`: when the message was written (any increasing number); parts without one keep arrival order. */
  push(user: string, text: string, order?: number): void {
    const open = this.pending.get(user);
    if (open) {
      const previous = open.parts.at(-1)!;
      open.parts.push({ text, order: order ?? previous.order, seq: previous.seq + 1 });
      open.timer.refresh();
      return;
    }
    if (this.windowMs <= 0 || !this.expectsFreeText(user)) {
      this.deliver(user, text);
      return;
    }
    const entry = { parts: [{ text, order: order ?? -Infinity, seq: 0 }], timer: setTimeout(() => this.flush(user), this.windowMs) };
    this.pending.set(user, entry);
  }

  /** Delivers everything waiting now (on shutdown). */
  flushAll(): void {
    for (const user of [...this.pending.keys()]) this.flush(user);
  }

  private flush(user: string): void {
    const entry = this.pending.get(user);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(user);
    const parts = [...entry.parts].sort((a, b) => (a.order === b.order ? 0 : a.order < b.order ? -1 : 1) || a.seq - b.seq);
    this.deliver(user, parts.map((p) => p.text).join('\n'));
  }
}
