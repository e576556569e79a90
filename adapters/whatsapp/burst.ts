/**
 * People on WhatsApp split one answer into several messages. While the bot waits for a
 * free-text answer, messages from the same person that arrive within a short window are joined
 * into one; anything else goes through at once.
 */
export class BurstJoiner {
  private readonly pending = new Map<string, { parts: string[]; timer: NodeJS.Timeout }>();

  constructor(
    private readonly windowMs: number,
    /** Whether this person's next message answers a free-text question. */
    private readonly expectsFreeText: (user: string) => boolean,
    private readonly deliver: (user: string, text: string) => void,
  ) {}

  push(user: string, text: string): void {
    const open = this.pending.get(user);
    if (open) {
      open.parts.push(text);
      open.timer.refresh();
      return;
    }
    if (this.windowMs <= 0 || !this.expectsFreeText(user)) {
      this.deliver(user, text);
      return;
    }
    const entry = { parts: [text], timer: setTimeout(() => this.flush(user), this.windowMs) };
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
    this.deliver(user, entry.parts.join('\n'));
  }
}
