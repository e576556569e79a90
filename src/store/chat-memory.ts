/**
 * Web-chat conversations in this process's memory (the JSON and memory stores: one process).
 * Bounded: a hard cap on conversations, the latest activities only per stream, idle ones swept.
 */
import { randomBytes } from 'node:crypto';
import type { ChatActivity, ChatConversation, ChatConversations, ChatLimits, IssuedToken } from './port.js';

interface Held extends ChatConversation {
  activities: ChatActivity[];
  /** Activities dropped from the front: watermarks stay absolute. */
  dropped: number;
  lastSeen: number;
  token?: { value: string; expiresAt: number };
}

export const randomId = (bytes: number) => randomBytes(bytes).toString('base64url');

/** `<conversation>|<index>`, the index zero-padded so ids sort as the stream does. */
export const activityId = (conversationId: string, index: number) => `${conversationId}|${String(index).padStart(7, '0')}`;

export class MemoryChatConversations implements ChatConversations {
  private readonly conversations = new Map<string, Held>();
  private readonly tokens = new Map<string, string>();
  private readonly watchers = new Map<string, Set<() => void>>();

  constructor(
    private readonly limits: ChatLimits,
    private readonly now: () => number = Date.now,
  ) {}

  async create(userId: string): Promise<ChatConversation | undefined> {
    if (this.conversations.size >= this.limits.maxConversations && ((await this.sweep()), this.conversations.size >= this.limits.maxConversations)) return undefined;
    const held: Held = { id: randomId(18), userId, started: false, activities: [], dropped: 0, lastSeen: this.now() };
    this.conversations.set(held.id, held);
    return view(held);
  }

  async byToken(token: string): Promise<ChatConversation | undefined> {
    const id = this.tokens.get(token);
    const held = id === undefined ? undefined : this.conversations.get(id);
    if (!held?.token || held.token.expiresAt < this.now()) return undefined;
    held.lastSeen = this.now();
    return view(held);
  }

  async issueToken(conversationId: string): Promise<IssuedToken> {
    const held = this.held(conversationId);
    if (held.token) this.tokens.delete(held.token.value);
    const value = randomId(32);
    held.token = { value, expiresAt: this.now() + this.limits.ttlMs };
    this.tokens.set(value, held.id);
    return { token: value, expiresIn: Math.floor(this.limits.ttlMs / 1000) };
  }

  async currentToken(conversationId: string): Promise<IssuedToken> {
    const held = this.held(conversationId);
    if (!held.token) return this.issueToken(conversationId);
    return { token: held.token.value, expiresIn: Math.max(0, Math.floor((held.token.expiresAt - this.now()) / 1000)) };
  }

  async start(conversationId: string): Promise<boolean> {
    const held = this.held(conversationId);
    if (held.started) return false;
    held.started = true;
    return true;
  }

  async append(conversationId: string, activity: ChatActivity): Promise<string> {
    const held = this.held(conversationId);
    const id = activityId(held.id, held.dropped + held.activities.length);
    held.activities.push({ ...activity, id, timestamp: new Date(this.now()).toISOString() });
    if (held.activities.length > this.limits.maxActivities) {
      held.activities.shift();
      held.dropped++;
    }
    for (const onAppend of this.watchers.get(held.id) ?? []) onAppend();
    return id;
  }

  async since(conversationId: string, watermark: number): Promise<{ activities: ChatActivity[]; watermark: string }> {
    const held = this.held(conversationId);
    const from = Number.isInteger(watermark) && watermark >= 0 ? watermark : 0;
    return { activities: held.activities.slice(Math.max(0, from - held.dropped)), watermark: String(held.dropped + held.activities.length) };
  }

  async replace(conversationId: string, id: string, activity: ChatActivity): Promise<void> {
    const held = this.conversations.get(conversationId);
    const index = held?.activities.findIndex((a) => a.id === id) ?? -1;
    if (held && index >= 0) held.activities[index] = { ...activity, id };
  }

  async has(conversationId: string): Promise<boolean> {
    return this.conversations.has(conversationId);
  }

  watch(conversationId: string, onAppend: () => void): () => void {
    const set = this.watchers.get(conversationId) ?? new Set();
    // A wrapper, so the same function watching twice is two watches.
    const entry = () => onAppend();
    set.add(entry);
    this.watchers.set(conversationId, set);
    return () => {
      set.delete(entry);
      if (!set.size && this.watchers.get(conversationId) === set) this.watchers.delete(conversationId);
    };
  }

  async sweep(): Promise<number> {
    const now = this.now();
    let removed = 0;
    for (const [id, held] of this.conversations) {
      if (now - held.lastSeen > this.limits.ttlMs) {
        this.conversations.delete(id);
        if (held.token) this.tokens.delete(held.token.value);
        removed++;
      }
    }
    return removed;
  }

  async counts(): Promise<{ conversations: number; tokens: number }> {
    return { conversations: this.conversations.size, tokens: this.tokens.size };
  }

  private held(id: string): Held {
    const held = this.conversations.get(id);
    // Callers reach a conversation through its token first; a sweep in between ends it.
    if (!held) throw new Error(`conversation ${id} is gone`);
    return held;
  }
}

function view(held: Held): ChatConversation {
  return { id: held.id, userId: held.userId, started: held.started };
}
