/**
 * Direct Line conversations held in memory: the activity stream with its watermark, and the
 * tokens that reach it. A token reaches one conversation only; a conversation idle for longer
 * than the time-to-live is forgotten with its tokens.
 */
import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';

export interface Conversation {
  id: string;
  /** The user the conversation's tokens speak for; activities from the client are stamped with it. */
  userId: string;
  activities: Partial<Activity>[];
  started: boolean;
  lastSeen: number;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
}

const randomId = (bytes: number) => randomBytes(bytes).toString('base64url');

export class ConversationRegistry {
  private readonly conversations = new Map<string, Conversation>();
  private readonly tokens = new Map<string, { conversationId: string; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  create(userId: string = `dl_${randomId(12)}`): Conversation {
    const conversation: Conversation = { id: randomId(18), userId, activities: [], started: false, lastSeen: this.now() };
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  get(id: string): Conversation | undefined {
    const c = this.conversations.get(id);
    if (c) c.lastSeen = this.now();
    return c;
  }

  issueToken(conversation: Conversation): IssuedToken {
    const token = randomId(32);
    this.tokens.set(token, { conversationId: conversation.id, expiresAt: this.now() + this.ttlMs });
    return { token, expiresIn: Math.floor(this.ttlMs / 1000) };
  }

  /** The conversation a bearer token reaches, if the token is known and not expired. */
  byToken(token: string): Conversation | undefined {
    const entry = this.tokens.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt < this.now()) {
      this.tokens.delete(token);
      return undefined;
    }
    return this.get(entry.conversationId);
  }

  /** Adds an activity to the stream and returns its id (`<conversation>|<index>`). */
  append(conversation: Conversation, activity: Partial<Activity>): string {
    const id = `${conversation.id}|${String(conversation.activities.length).padStart(7, '0')}`;
    conversation.activities.push({ ...activity, id, timestamp: new Date(this.now()) });
    return id;
  }

  /** Activities after `watermark` (the count already seen), and the new watermark. */
  since(conversation: Conversation, watermark: number): { activities: Partial<Activity>[]; watermark: string } {
    const from = Number.isInteger(watermark) && watermark >= 0 ? watermark : 0;
    return { activities: conversation.activities.slice(from), watermark: String(conversation.activities.length) };
  }

  /** Forgets idle conversations and expired tokens; returns how many conversations went. */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    for (const [id, c] of this.conversations) {
      if (now - c.lastSeen > this.ttlMs) {
        this.conversations.delete(id);
        removed++;
      }
    }
    for (const [token, entry] of this.tokens) if (entry.expiresAt < now || !this.conversations.has(entry.conversationId)) this.tokens.delete(token);
    return removed;
  }

  get size(): number {
    return this.conversations.size;
  }
}
