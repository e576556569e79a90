/**
 * Direct Line conversations held in memory: the activity stream with its watermark, and the
 * one token that reaches it. A conversation has a single live token: refreshing replaces it
 * (the old one stops working), so a client looping on refresh holds one token, not thousands.
 * The registry has a hard cap on conversations and each stream keeps its latest activities
 * only, so memory stays bounded whatever clients do; idle conversations are forgotten.
 */
import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';

export interface Conversation {
  id: string;
  /** The user the conversation's token speaks for; activities from the client are stamped with it. */
  userId: string;
  /** The latest activities; `dropped` earlier ones are gone, so watermarks stay absolute. */
  activities: Partial<Activity>[];
  dropped: number;
  started: boolean;
  lastSeen: number;
  token?: { value: string; expiresAt: number };
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
}

export interface RegistryLimits {
  /** Idle time after which a conversation and its token are forgotten. */
  ttlMs: number;
  /** Conversations held at once; past it `create` returns undefined (the server answers 503). */
  maxConversations: number;
  /** Activities kept per conversation; a client polling with an older watermark gets the kept ones. */
  maxActivities: number;
}

const randomId = (bytes: number) => randomBytes(bytes).toString('base64url');

export class ConversationRegistry {
  private readonly conversations = new Map<string, Conversation>();
  private readonly tokens = new Map<string, string>();

  constructor(
    private readonly limits: RegistryLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new conversation, or undefined when the registry is full even after forgetting idle ones. */
  create(userId: string = `dl_${randomId(12)}`): Conversation | undefined {
    if (this.conversations.size >= this.limits.maxConversations && (this.sweep(), this.conversations.size >= this.limits.maxConversations)) return undefined;
    const conversation: Conversation = { id: randomId(18), userId, activities: [], dropped: 0, started: false, lastSeen: this.now() };
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  get(id: string): Conversation | undefined {
    const c = this.conversations.get(id);
    if (c) c.lastSeen = this.now();
    return c;
  }

  /** A new token for the conversation; the one it had before stops working. */
  issueToken(conversation: Conversation): IssuedToken {
    if (conversation.token) this.tokens.delete(conversation.token.value);
    const value = randomId(32);
    conversation.token = { value, expiresAt: this.now() + this.limits.ttlMs };
    this.tokens.set(value, conversation.id);
    return { token: value, expiresIn: Math.floor(this.limits.ttlMs / 1000) };
  }

  /** The conversation's live token, without minting one (starting and resuming a conversation). */
  currentToken(conversation: Conversation): IssuedToken {
    if (!conversation.token) return this.issueToken(conversation);
    return { token: conversation.token.value, expiresIn: Math.max(0, Math.floor((conversation.token.expiresAt - this.now()) / 1000)) };
  }

  /** The conversation a bearer token reaches, if the token is its live one and not expired. */
  byToken(token: string): Conversation | undefined {
    const id = this.tokens.get(token);
    const conversation = id === undefined ? undefined : this.conversations.get(id);
    if (!conversation?.token || conversation.token.expiresAt < this.now()) return undefined;
    return this.get(conversation.id);
  }

  /** Adds an activity to the stream and returns its id (`<conversation>|<index>`). */
  append(conversation: Conversation, activity: Partial<Activity>): string {
    const index = conversation.dropped + conversation.activities.length;
    const id = `${conversation.id}|${String(index).padStart(7, '0')}`;
    conversation.activities.push({ ...activity, id, timestamp: new Date(this.now()) });
    if (conversation.activities.length > this.limits.maxActivities) {
      conversation.activities.shift();
      conversation.dropped++;
    }
    return id;
  }

  /** The kept activity with this id, for updates and deletions. */
  indexOf(conversation: Conversation, activityId: string | undefined): number {
    return conversation.activities.findIndex((a) => a.id === activityId);
  }

  /** Activities after `watermark` (the count already seen), and the new watermark. */
  since(conversation: Conversation, watermark: number): { activities: Partial<Activity>[]; watermark: string } {
    const from = Number.isInteger(watermark) && watermark >= 0 ? watermark : 0;
    const total = conversation.dropped + conversation.activities.length;
    return { activities: conversation.activities.slice(Math.max(0, from - conversation.dropped)), watermark: String(total) };
  }

  /** Forgets idle conversations and their tokens; returns how many conversations went. */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    for (const [id, c] of this.conversations) {
      if (now - c.lastSeen > this.limits.ttlMs) {
        this.conversations.delete(id);
        if (c.token) this.tokens.delete(c.token.value);
        removed++;
      }
    }
    return removed;
  }

  get size(): number {
    return this.conversations.size;
  }

  /** Live tokens: never more than the conversations held. */
  get tokenCount(): number {
    return this.tokens.size;
  }
}
