/**
 * The store as a port: everything the engine, the flows, the adapters, the staff tools and the
 * exports need, async throughout, so an implementation may live in this process (memory, the
 * JSON file) or in a database. Nothing outside `src/store/` knows which one it has; one contract
 * suite (test/store/contract.ts) holds every implementation to the same behaviour.
 */
import type { CommentRef } from '../comment-ref.js';
import type {
  AuditEntry,
  CommitmentResponse,
  Contact,
  DialogState,
  ErasureScope,
  Notice,
  Opinion,
  Priority,
  Proposal,
  ProposalFields,
  ProposalStatus,
  SignUp,
  Vote,
} from '../types.js';
import type { UserKeyer } from './user-key.js';
import type { EmailOutbox } from './outbox.js';

export type { EmailItem, EmailOutbox, OutboxEntry, SignUpConfirmation } from './outbox.js';

export interface WriteFailure {
  at: string;
  message: string;
}

/** Whether the store can take writes: `/healthz` reports it. */
export interface StoreHealth {
  ok: boolean;
  /** The last failed write, while no write since has succeeded. */
  lastWriteError?: WriteFailure;
  /** Why the store cannot be written right now (e.g. its folder became read-only). */
  problem?: string;
}

export interface NewProposal extends ProposalFields {
  channel: string;
  userKey: string;
  consent: boolean;
  contact?: Contact;
  /** The dialog filing it: submitting the same dialog again returns the proposal already filed. */
  dialogId?: string;
}

export interface ProposalFilter {
  status?: ProposalStatus;
  /** Matched without case or accents, as a substring of the territory. */
  territory?: string;
}

/** What a staff status change did. */
export type StatusOutcome = { kind: 'changed'; proposal: Proposal } | { kind: 'not_found' } | { kind: 'withdrawn' };

/** Everything the store holds about one person, for "mis datos". */
export interface UserData {
  proposals: Proposal[];
  session?: DialogState;
  notices: Notice[];
  opinions: Opinion[];
  priority?: Priority;
  signups: SignUp[];
}

/** A sign-up as the flow gives it; the store adds the code, the status and the dates. */
export type NewSignUp = Pick<SignUp, 'tableId' | 'userKey' | 'channel' | 'name' | 'email' | 'phone'>;

/** What a sign-up did: the person's place (new, or the one they already had), and their place in line. */
export interface SignUpOutcome {
  signUp: SignUp;
  existing: boolean;
  /** 1-based place on the waitlist, for a waitlisted sign-up. */
  position?: number;
}

/** A draft-consultation invitation: the author of `proposalId`, whose proposal `commitmentId` integrates. */
export interface Invitation {
  proposalId: string;
  commitmentId: string;
}

/** A web-chat conversation (the Direct Line endpoint's): whom its token speaks for, and whether the welcome went out. */
export interface ChatConversation {
  id: string;
  userId: string;
  started: boolean;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
}

export interface ChatLimits {
  /** Idle time after which a conversation and its token are forgotten. */
  ttlMs: number;
  /** Conversations held at once; past it `create` gives undefined (the server answers 503). */
  maxConversations: number;
  /** Activities kept per conversation; a client polling with an older watermark gets the kept ones. */
  maxActivities: number;
}

/** An activity as the stream keeps it: JSON, with the id the stream gave it. */
export type ChatActivity = Record<string, unknown>;

/**
 * Web-chat conversations: one live token each (refreshing replaces it), and an append-only
 * activity stream whose indexes are the watermarks clients poll with. Kept by the store so that
 * any instance can serve any conversation.
 */
export interface ChatConversations {
  /** A new conversation, or undefined when `maxConversations` are held even after forgetting idle ones. */
  create(userId: string): Promise<ChatConversation | undefined>;
  /** The conversation a live, unexpired token reaches (and it counts as a visit). */
  byToken(token: string): Promise<ChatConversation | undefined>;
  /** A new token for the conversation; the one it had stops working. */
  issueToken(conversationId: string): Promise<IssuedToken>;
  /** The conversation's live token, minting one only if it has none. */
  currentToken(conversationId: string): Promise<IssuedToken>;
  /** Marks the conversation started: true for the first caller only (one welcome per conversation). */
  start(conversationId: string): Promise<boolean>;
  /** Adds an activity (stamped with its id and time) and returns its id, `<conversation>|<index>`. */
  append(conversationId: string, activity: ChatActivity): Promise<string>;
  /** Activities after `watermark` (how many were seen), and the new watermark. */
  since(conversationId: string, watermark: number): Promise<{ activities: ChatActivity[]; watermark: string }>;
  /** Replaces a kept activity (an update, or a deletion's empty entry: indexes stay watermarks). */
  replace(conversationId: string, activityId: string, activity: ChatActivity): Promise<void>;
  /** Whether the conversation is still held (not forgotten), without counting as a visit. */
  has(conversationId: string): Promise<boolean>;
  /**
   * Calls `onAppend` soon after an activity is added to the conversation, by this process or by
   * any instance sharing the store; a hint to read `since` again, which may also come without
   * news (after a lost connection). Returns the function that stops it.
   */
  watch(conversationId: string, onAppend: () => void): () => void;
  /** Forgets idle conversations and their tokens; returns how many went. */
  sweep(): Promise<number>;
  /** Conversations held, and live tokens (never more than conversations). */
  counts(): Promise<{ conversations: number; tokens: number }>;
}

/** Where a person on a channel that can write first was last heard from (WhatsApp's 24-hour window). */
export interface Reach {
  /** When the person last wrote (ISO). */
  lastInboundAt: string;
  /** Where to write back, as the channel put it; sealed in the store (see UserKeyer.seal), plain here. */
  address: string;
}

export interface Store {
  /** The keyed hash that stands for a channel user everywhere in the store (computed here, never stored raw). */
  readonly userKey: UserKeyer;

  session(userKey: string): Promise<DialogState | undefined>;
  setSession(userKey: string, state: DialogState | undefined): Promise<void>;
  /** Deletes the dialog states of one kind untouched since `updatedBefore` (follow-up contexts would outlive their use otherwise); returns how many. */
  dropSessions(form: DialogState['form'], updatedBefore: Date): Promise<number>;

  /**
   * Stores a proposal under the next tracking number of `year`; resolves once durable. A second
   * submission of the same dialog returns the proposal already filed.
   */
  submit(input: NewProposal, now: Date, year?: number): Promise<Proposal>;
  get(id: string): Promise<Proposal | undefined>;
  /** Proposals, newest first. */
  list(filter?: ProposalFilter): Promise<Proposal[]>;
  /** A person's proposals, newest first. */
  byUser(userKey: string): Promise<Proposal[]>;
  /** A staff status change, recorded in the audit trail, with a notice for the citizen. */
  setStatus(id: string, change: { status: ProposalStatus; answer?: string; actor: string }, now: Date): Promise<StatusOutcome>;
  /** Staff moderation: hides a proposal from the public results with `reason`, or shows it again (undefined); audited, and the author is told. */
  setHidden(id: string, reason: string | undefined, actor: string, now: Date): Promise<'changed' | 'not_found'>;
  /** The same for one comment on the draft, by its reference (`C3:12`). */
  setCommentHidden(ref: CommentRef, reason: string | undefined, actor: string, now: Date): Promise<'changed' | 'not_found'>;
  /** Records a staff action that changes nothing else (a listing, an export). */
  audit(entry: AuditEntry): Promise<void>;
  /**
   * Changes whenever something the public results show may have changed (proposals, opinions,
   * priorities, responses, moderation), across instances: caches of rendered pages key on it.
   */
  resultsRevision(): Promise<string>;

  /**
   * The person `key` was linked to (see `linkPerson`), or undefined: one person may reach Cabildo
   * under several identifiers (WhatsApp's phone number and business-scoped user id).
   */
  personOf(key: string): Promise<string | undefined>;
  /**
   * Links each of `keys` not linked yet to `person` (keyed hashes only, never the identifiers);
   * returns the person the first key stands for afterwards (another instance may have won).
   */
  linkPerson(keys: string[], person: string): Promise<string>;
  /** Records that the person wrote at `at` and where to write back; kept sealed, so it survives restarts and serves every instance. */
  setReach(userKey: string, at: Date, address: string): Promise<void>;
  reach(userKey: string): Promise<Reach | undefined>;

  hasNotices(userKey: string): Promise<boolean>;
  /**
   * Removes one waiting notice, as `pendingNotices` returned it, once it was delivered: true for
   * the one caller that removed it.
   */
  removeNotice(notice: Notice): Promise<boolean>;
  /** Removes and returns the notices waiting for a person: each is taken once. */
  takeNotices(userKey: string): Promise<Notice[]>;
  /** Every notice waiting (or one person's), for channels that can write first. */
  pendingNotices(userKey?: string): Promise<Notice[]>;

  userData(userKey: string): Promise<UserData>;
  /** Forgets a person (see ErasureScope); returns how many proposals changed. */
  eraseUser(userKey: string, scope: ErasureScope, now: Date): Promise<number>;

  /** A vote on a commitment; a second vote on the same one replaces the first (and its comment). */
  vote(userKey: string, commitmentId: string, vote: Vote, now: Date): Promise<{ replaced: boolean }>;
  /** Writes the comment on the person's opinion (which must exist), under the commitment's next comment number. */
  comment(userKey: string, channel: string, commitmentId: string, comment: string, now: Date): Promise<void>;
  /** A person's opinions, in the order they gave them. */
  opinionsOf(userKey: string): Promise<Opinion[]>;
  /** Every opinion (on one commitment, when given), newest first. */
  opinions(commitmentId?: string): Promise<Opinion[]>;
  setPriority(userKey: string, commitmentId: string, now: Date): Promise<void>;
  priorityOf(userKey: string): Promise<Priority | undefined>;
  priorities(): Promise<Priority[]>;
  /** The staff's response to the consultation on a commitment (replaces an earlier one); audited. */
  respondToConsultation(commitmentId: string, text: string, actor: string, now: Date): Promise<void>;
  consultationResponses(): Promise<CommitmentResponse[]>;
  /** Leaves one draft-consultation invitation per proposal, however often called; returns how many were new. */
  invite(invitations: Invitation[], now: Date): Promise<number>;

  /** A place at a table, or a place in line once `capacity` are taken; never both for two racers. */
  signUp(input: NewSignUp, capacity: number, now: Date): Promise<SignUpOutcome>;
  /** Deletes the person's sign-up with `code`; a freed place goes to the first in line, with a notice. */
  cancelSignUp(userKey: string, code: string, now: Date): Promise<{ cancelled: SignUp; promoted?: SignUp } | undefined>;
  signUpsOf(userKey: string): Promise<SignUp[]>;
  /** A table's sign-ups in the order they came (the waitlist's order). */
  signUps(tableId: string): Promise<SignUp[]>;
  /** A reminder for every confirmed person of these tables not yet reminded; returns how many. */
  remind(tableIds: string[], now: Date): Promise<number>;

  /**
   * Runs `work` while no other process runs work for the same key: one person's turns never
   * interleave, whichever instance receives them.
   */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** True the first time a platform delivery id (a WhatsApp message id, a Slack event id) is seen by any instance. */
  firstDelivery(id: string): Promise<boolean>;
  /**
   * Whether this process holds `name`, a service only one instance may run (whatsapp-web.js's
   * linked phone); held until the store is closed.
   */
  claim(name: string): Promise<boolean>;

  /** The web chat's conversations, shared by every instance on this store. */
  chatConversations(limits: ChatLimits, now?: () => number): ChatConversations;
  /**
   * The email outbox: every notice (and work-table sign-up) for a person who gave an email
   * address with consent is queued here in the same write that creates it, apart from the chat
   * delivery, until it is emailed (see src/store/outbox.ts).
   */
  emailOutbox(): EmailOutbox;

  health(): Promise<StoreHealth>;
  /** Waits for every write in flight, then releases what the store holds. */
  close(): Promise<void>;
}
