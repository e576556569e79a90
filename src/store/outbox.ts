/**
 * The email outbox: notices (and work-table sign-up confirmations) for people who gave an email
 * address with consent, queued in the same write that creates them, so each is emailed once
 * whatever happens to the chat delivery, and survives restarts. Only the notice is queued, never
 * the address: the sender looks it up when it sends, so an address erased or a consent withdrawn
 * in between is honoured.
 */
import type { Notice, Proposal, SignUp } from '../types.js';
import type { UserKeyer } from './user-key.js';

/** A sign-up's confirmation (the chat confirmed it in the turn itself, so it is no notice). */
export interface SignUpConfirmation {
  kind: 'table_signup';
  userKey: string;
  channel: string;
  createdAt: string;
  tableId: string;
  code: string;
}

/** What one email says. */
export type EmailItem = Notice | SignUpConfirmation;

/** One queued email, as the sender gets it. */
export interface OutboxEntry {
  id: string;
  item: EmailItem;
  /** Failed attempts so far. */
  attempts: number;
  /** When it was queued (wall clock), so a backlog found late is not sent out of season. */
  queuedAt: string;
}

/**
 * The outbox as the store keeps it. Timing is the sender's wall clock (never CABILDO_NOW, which
 * may be frozen): `due` takes the entries whose next attempt has come, leasing them so that no
 * other instance sends them meanwhile; `sent` removes one for good; `retry` puts one back for later.
 */
export interface EmailOutbox {
  /** Entries due at `now`, oldest first, at most `limit`; each is not due again for `leaseMs`. */
  due(now: Date, limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  /** The entry was delivered, or will never be (no address, unsubscribed, a permanent error): removed. */
  sent(id: string): Promise<void>;
  /** A temporary failure: one more attempt counted, and the entry is due again at `at`. */
  retry(id: string, at: Date): Promise<void>;
  /** No more email to the address whose keyed hash is `addressKey` (see {@link emailAddressKey}). */
  unsubscribe(addressKey: string, now: Date): Promise<void>;
  unsubscribed(addressKey: string): Promise<boolean>;
}

/**
 * The address an item goes to, when its person gave one with consent: the contact of the
 * proposal (consent given, and still the person's), or the sign-up's email (given after the
 * sign-up's privacy notice and explicit consent).
 */
export function emailAddressOf(item: EmailItem, proposal: Proposal | undefined, signUp: SignUp | undefined): string | undefined {
  if ('proposalId' in item) {
    if (!proposal || proposal.userKey !== item.userKey || !proposal.consent) return undefined;
    return proposal.contact?.email || undefined;
  }
  if ('tableId' in item) {
    if (!signUp || signUp.userKey !== item.userKey || signUp.code !== item.code) return undefined;
    return signUp.email || undefined;
  }
  // Anything else (a comment's moderation) concerns records that hold no contact data.
  return undefined;
}

/** The keyed hash that stands for an email address in the unsubscribe list (never the address). */
export function emailAddressKey(userKey: UserKeyer, address: string): string {
  return userKey('email', address.trim().toLowerCase());
}
