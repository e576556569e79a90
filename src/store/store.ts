/**
 * The embedded store (the JSON file, and memory for tests): proposals, counters, notices, the
 * audit trail, opinions and sign-ups in one lowdb document, and per-user dialog state in a second
 * one beside it. Dialog state changes on almost every message while proposals change rarely;
 * apart, a dialog step rewrites a few kilobytes instead of every proposal ever filed. Reads are
 * served from memory; every change is written before the promise that made it resolves, so an
 * acknowledgement means "on disk".
 */
import { randomBytes } from 'node:crypto';
import { Low } from 'lowdb';
import type { UserKeyer } from './user-key.js';
import { MemoryChatConversations } from './chat-memory.js';
import type {
  ChatConversations,
  ChatLimits,
  Invitation,
  NewProposal,
  NewSignUp,
  ProposalFilter,
  Reach,
  SignUpOutcome,
  StatusOutcome,
  Store,
  StoreHealth,
  UserData,
  WriteFailure,
} from './port.js';
import { formatTrackingNumber } from '../nlu/rules.js';
import type { CommentRef } from '../comment-ref.js';
import { CabildoError } from '../errors.js';
import { maskPersonalData } from '../privacy/mask.js';
import { Dedupe } from '../dedupe.js';
import { fold } from '../text/fold.js';
import { applyCommentHidden, applyHidden, applyStatus, forgetAuthor, newProposal, newSignUp, signUpCode } from './records.js';
import { KeyedQueue } from '../keyed-queue.js';
import { emailAddressOf, type EmailItem, type EmailOutbox } from './outbox.js';
import { DocumentEmailOutbox, queueEmail, type StoredOutboxEntry } from './outbox-document.js';
import type {
  AuditEntry,
  ErasureScope,
  DialogState,
  Notice,
  Opinion,
  Priority,
  Proposal,
  SignUp,
  ProposalStatus,
  Vote,
  CommitmentResponse,
} from '../types.js';

export interface StoreData {
  v: 1;
  proposals: Proposal[];
  /** Last tracking number issued, per year. */
  counters: Record<string, number>;
  /** Last comment number given, per draft commitment; numbers are never reused. */
  commentCounters?: Record<string, number>;
  notices: Notice[];
  audit: AuditEntry[];
  /** Opinions on the draft plan (absent in files written before the draft consultation). */
  opinions?: Opinion[];
  priorities?: Priority[];
  /** Proposals whose authors were invited to the draft consultation, so each is invited once. */
  invited?: string[];
  /** Work-table sign-ups (absent in files written before sign-up existed). */
  signups?: SignUp[];
  /** The staff's responses to the draft consultation, one per commitment. */
  responses?: CommitmentResponse[];
  /** Emails waiting to be sent (see outbox.ts), and the last outbox id given. */
  outbox?: StoredOutboxEntry[];
  outboxSeq?: number;
  /** Keyed hashes of the email addresses that unsubscribed. */
  unsubscribed?: string[];
  /** Keyed hashes of a person's other identifiers → the key their records are under (see Store.linkPerson). */
  people?: Record<string, string>;
}

export function emptyStoreData(): StoreData {
  return { v: 1, proposals: [], counters: {}, notices: [], audit: [], opinions: [], priorities: [], invited: [], signups: [], responses: [] };
}

export interface SessionData {
  v: 1;
  sessions: Record<string, DialogState>;
  /** When each person on a channel that writes first last wrote, and the sealed address to write to (changes on every message, so kept here). */
  reach?: Record<string, { at: string; address: string }>;
}

export function emptySessionData(): SessionData {
  return { v: 1, sessions: {} };
}

/**
 * One lowdb document with coalesced writes. Changes made in the same tick share one
 * serialisation, and lowdb's writer (steno) coalesces writes queued behind a running one, so
 * 200 concurrent submissions cost a handful of writes; each caller still resolves only after
 * a write that holds its change.
 */
export class Document<T> {
  private scheduled: Promise<void> | null = null;
  private lastWrite: Promise<void> = Promise.resolve();
  /** The last write's failure, until a later write succeeds. */
  lastError: WriteFailure | undefined;
  /** Counts changes: what readers that cache derived views compare. */
  revision = 0;

  /** `cleanUp` removes what a failed write may leave behind (a partial temporary file). */
  constructor(
    private readonly db: Low<T>,
    private readonly cleanUp: () => Promise<void> = async () => {},
  ) {}

  get data(): T {
    return this.db.data;
  }

  persist(): Promise<void> {
    this.revision++;
    this.scheduled ??= Promise.resolve().then(() => {
      this.scheduled = null;
      const write = this.db.write().then(
        () => {
          this.lastError = undefined;
        },
        async (cause: unknown) => {
          this.lastError = { at: new Date().toISOString(), message: (cause as Error).message };
          await this.cleanUp().catch(() => {});
          throw new CabildoError('STORE_WRITE_FAILED', `Could not write the store: ${(cause as Error).message}`, { cause });
        },
      );
      this.lastWrite = write.catch(() => {});
      return write;
    });
    return this.scheduled;
  }

  /** Resolves once every change made so far is written (or has failed). */
  async settled(): Promise<void> {
    await this.scheduled?.catch(() => {});
    await this.lastWrite;
  }
}

/** How a store is backed: the documents' clean-up after a failed write, a live check, and release. */
export interface StoreBacking {
  cleanUpRecords?: () => Promise<void>;
  cleanUpSessions?: () => Promise<void>;
  /** A reason the store cannot be written now, or undefined. */
  probe?: () => Promise<string | undefined>;
  onClose?: () => void;
}

export class DocumentStore implements Store {
  private readonly db: Document<StoreData>;
  private readonly sessions: Document<SessionData>;
  private readonly byId = new Map<string, Proposal>();
  private readonly backing: StoreBacking;
  /** Platform delivery ids seen by this process (the only one on the file): platforms retry for up to a day. */
  private readonly deliveries = new Dedupe(24 * 60 * 60 * 1000);
  private readonly exclusives = new KeyedQueue();
  /** One outbox per store: it holds the leases of the emails being sent. */
  private outbox: DocumentEmailOutbox | undefined;

  /** The keyed hash that stands for a channel user everywhere in the store. */
  readonly userKey: UserKeyer;

  constructor(records: Low<StoreData>, sessions: Low<SessionData>, userKey: UserKeyer, backing: StoreBacking = {}) {
    this.db = new Document(records, backing.cleanUpRecords);
    this.sessions = new Document(sessions, backing.cleanUpSessions);
    this.userKey = userKey;
    this.backing = backing;
    for (const p of records.data.proposals) this.byId.set(p.id, p);
    records.data.opinions ??= [];
    numberOldComments(records.data);
    records.data.priorities ??= [];
    records.data.invited ??= [];
    records.data.signups ??= [];
  }

  private get signupList(): SignUp[] {
    return this.db.data.signups!;
  }

  private get opinionList(): Opinion[] {
    return this.db.data.opinions!;
  }

  private get priorityList(): Priority[] {
    return this.db.data.priorities!;
  }

  async session(userKey: string): Promise<DialogState | undefined> {
    return this.sessionNow(userKey);
  }

  private sessionNow(userKey: string): DialogState | undefined {
    return this.sessions.data.sessions[userKey];
  }

  async setSession(userKey: string, state: DialogState | undefined): Promise<void> {
    const sessions = this.sessions.data.sessions;
    if (state) sessions[userKey] = state;
    else if (sessions[userKey]) delete sessions[userKey];
    else return;
    await this.sessions.persist();
  }

  async dropSessions(form: DialogState['form'], updatedBefore: Date): Promise<number> {
    const sessions = this.sessions.data.sessions;
    const stale = Object.entries(sessions).filter(([, s]) => s.form === form && Date.parse(s.updatedAt) < updatedBefore.getTime());
    for (const [key] of stale) delete sessions[key];
    if (stale.length) await this.sessions.persist();
    return stale.length;
  }

  /**
   * Stores a proposal under the next tracking number of `year` (the consultation's local year,
   * which the caller knows); resolves once it is on disk.
   */
  async submit(input: NewProposal, now: Date, year: number = now.getUTCFullYear()): Promise<Proposal> {
    // A process killed after the write but before the dialog was cleared leaves the person at
    // the summary with no number; their second confirmation must not file a copy.
    const filed = input.dialogId ? this.db.data.proposals.find((p) => p.dialogId === input.dialogId) : undefined;
    if (filed) return filed;
    const seq = (this.db.data.counters[year] ?? 0) + 1;
    const proposal = newProposal(input, formatTrackingNumber(year, seq), now);
    this.db.data.counters[year] = seq;
    this.db.data.proposals.push(proposal);
    this.byId.set(proposal.id, proposal);
    try {
      await this.db.persist();
    } catch (error) {
      // Not on disk, so not acknowledged: take it back so a retry does not file it twice.
      // The number stays used; a gap is better than two proposals with one number.
      this.db.data.proposals = this.db.data.proposals.filter((p) => p !== proposal);
      this.byId.delete(proposal.id);
      throw error;
    }
    return proposal;
  }

  async get(id: string): Promise<Proposal | undefined> {
    return this.getNow(id);
  }

  private getNow(id: string): Proposal | undefined {
    return this.byId.get(id);
  }

  /** Proposals, newest first. */
  async list(filter: ProposalFilter = {}): Promise<Proposal[]> {
    return this.listNow(filter);
  }

  private listNow(filter: ProposalFilter = {}): Proposal[] {
    const territory = filter.territory ? fold(filter.territory) : undefined;
    return this.db.data.proposals
      .filter((p) => (!filter.status || p.status === filter.status) && (!territory || fold(p.territory).includes(territory)))
      .reverse();
  }

  async byUser(userKey: string): Promise<Proposal[]> {
    return this.byUserNow(userKey);
  }

  private byUserNow(userKey: string): Proposal[] {
    return this.db.data.proposals.filter((p) => p.userKey === userKey).reverse();
  }

  /**
   * Changes a proposal's status as a staff member, records who did it, and leaves a notice for
   * the citizen. A proposal its author withdrew stays withdrawn: that was their decision.
   */
  async setStatus(id: string, change: { status: ProposalStatus; answer?: string; actor: string }, now: Date): Promise<StatusOutcome> {
    const proposal = this.byId.get(id);
    if (!proposal) return { kind: 'not_found' };
    if (proposal.status === 'retirada') return { kind: 'withdrawn' };
    const { audit, notice } = applyStatus(proposal, change, now);
    this.db.data.audit.push(audit);
    if (notice) this.addNotice(notice);
    await this.db.persist();
    return { kind: 'changed', proposal };
  }

  async setHidden(id: string, reason: string | undefined, actor: string, now: Date): Promise<'changed' | 'not_found'> {
    const proposal = this.byId.get(id);
    if (!proposal) return 'not_found';
    const { audit, notice } = applyHidden(proposal, reason, actor, now);
    this.db.data.audit.push(audit);
    if (notice) this.addNotice(notice);
    await this.db.persist();
    return 'changed';
  }

  /** Records a staff action that changes nothing else (a listing, an export). */
  async audit(entry: AuditEntry): Promise<void> {
    this.db.data.audit.push(entry);
    await this.db.persist();
  }

  async resultsRevision(): Promise<string> {
    // Every change to the records document counts (notices and the audit too): rarely enough to matter.
    return String(this.db.revision);
  }

  async personOf(key: string): Promise<string | undefined> {
    return this.db.data.people?.[key];
  }

  async linkPerson(keys: string[], person: string): Promise<string> {
    const people = (this.db.data.people ??= {});
    const fresh = keys.filter((k) => people[k] === undefined);
    for (const k of fresh) people[k] = person;
    if (fresh.length) await this.db.persist();
    return people[keys[0]!] ?? person;
  }

  async setReach(userKey: string, at: Date, address: string): Promise<void> {
    (this.sessions.data.reach ??= {})[userKey] = { at: at.toISOString(), address: this.userKey.seal(address) };
    await this.sessions.persist();
  }

  async reach(userKey: string): Promise<Reach | undefined> {
    const r = this.sessions.data.reach?.[userKey];
    const address = r && this.userKey.unseal(r.address);
    return r && address !== undefined ? { lastInboundAt: r.at, address } : undefined;
  }

  async removeNotice(notice: Notice): Promise<boolean> {
    const wanted = sameNotice(notice);
    const i = this.db.data.notices.findIndex((n) => sameNotice(n) === wanted);
    if (i < 0) return false;
    this.db.data.notices.splice(i, 1);
    await this.db.persist();
    return true;
  }

  async hasNotices(userKey: string): Promise<boolean> {
    return this.hasNoticesNow(userKey);
  }

  /** Leaves a notice, and queues its email when the person gave an address with consent (same write). */
  private addNotice(notice: Notice): void {
    this.db.data.notices.push(notice);
    this.queueEmail(notice);
  }

  private queueEmail(item: EmailItem): void {
    const proposal = 'proposalId' in item ? this.byId.get(item.proposalId) : undefined;
    const signUp = 'tableId' in item ? this.signupList.find((x) => x.code === item.code) : undefined;
    if (emailAddressOf(item, proposal, signUp)) queueEmail(this.db.data, item);
  }

  emailOutbox(): EmailOutbox {
    return (this.outbox ??= new DocumentEmailOutbox(this.db));
  }

  private hasNoticesNow(userKey: string): boolean {
    return this.db.data.notices.some((n) => n.userKey === userKey);
  }

  /** Removes and returns the notices waiting for a person. */
  async takeNotices(userKey: string): Promise<Notice[]> {
    const mine = this.db.data.notices.filter((n) => n.userKey === userKey);
    if (!mine.length) return [];
    this.db.data.notices = this.db.data.notices.filter((n) => n.userKey !== userKey);
    await this.db.persist();
    return mine;
  }

  /** Every person with notices waiting, for channels that can write first. */
  async pendingNotices(userKey?: string): Promise<Notice[]> {
    return this.db.data.notices.filter((n) => userKey === undefined || n.userKey === userKey);
  }

  async userData(userKey: string): Promise<UserData> {
    return this.userDataNow(userKey);
  }

  private userDataNow(userKey: string): UserData {
    const session = this.sessionNow(userKey);
    const priority = this.priorityOfNow(userKey);
    return {
      proposals: this.byUserNow(userKey),
      ...(session ? { session } : {}),
      notices: this.db.data.notices.filter((n) => n.userKey === userKey),
      opinions: this.opinionsOfNow(userKey),
      ...(priority ? { priority } : {}),
      signups: this.signUpsOfNow(userKey),
    };
  }

  /**
   * A place at a table, or a place in line once `capacity` places are taken. The count and the
   * insertion happen in one synchronous step, so two people racing for the last place cannot
   * both get it; acknowledged only once on disk.
   */
  async signUp(input: NewSignUp, capacity: number, now: Date): Promise<SignUpOutcome> {
    const list = this.signupList;
    const active = list.find((x) => x.userKey === input.userKey && x.tableId === input.tableId);
    if (active) return { signUp: active, existing: true, ...this.position(active) };
    const confirmed = list.filter((x) => x.tableId === input.tableId && x.status === 'confirmed').length;
    const signUp = newSignUp(input, this.newCode(input.tableId), confirmed < capacity, now);
    list.push(signUp);
    this.queueEmail({ kind: 'table_signup', userKey: signUp.userKey, channel: signUp.channel, createdAt: signUp.createdAt, tableId: signUp.tableId, code: signUp.code });
    try {
      await this.db.persist();
    } catch (error) {
      this.db.data.signups = this.signupList.filter((x) => x !== signUp);
      throw error;
    }
    return { signUp, existing: false, ...this.position(signUp) };
  }

  private position(signUp: SignUp): { position?: number } {
    if (signUp.status !== 'waitlist') return {};
    return { position: this.signupList.filter((x) => x.tableId === signUp.tableId && x.status === 'waitlist').indexOf(signUp) + 1 };
  }

  private newCode(tableId: string): string {
    for (;;) {
      const code = signUpCode(tableId, randomBytes(4));
      if (!this.signupList.some((x) => x.code === code)) return code;
    }
  }

  /**
   * Cancels the person's sign-up with `code`. A freed place goes to the first in line, who gets
   * a notice. Undefined when the person has no active sign-up with that code.
   */
  async cancelSignUp(userKey: string, code: string, now: Date): Promise<{ cancelled: SignUp; promoted?: SignUp } | undefined> {
    const signUp = this.signupList.find((x) => x.userKey === userKey && x.code === code.toUpperCase());
    if (!signUp) return undefined;
    const promoted = this.release(signUp, now);
    await this.db.persist();
    return { cancelled: signUp, ...(promoted ? { promoted } : {}) };
  }

  /**
   * Removes a sign-up (nothing of it is kept: it held contact data) and, if it held a place,
   * gives the place to the first in line.
   */
  private release(signUp: SignUp, now: Date): SignUp | undefined {
    this.db.data.signups = this.signupList.filter((x) => x !== signUp);
    if (signUp.status !== 'confirmed') return undefined;
    const next = this.signupList.find((x) => x.tableId === signUp.tableId && x.status === 'waitlist');
    if (!next) return undefined;
    next.status = 'confirmed';
    next.updatedAt = now.toISOString();
    this.addNotice({ userKey: next.userKey, channel: next.channel, createdAt: now.toISOString(), kind: 'table_promoted', tableId: next.tableId, code: next.code });
    return next;
  }

  /** A person's sign-ups (confirmed or waiting), oldest first. */
  async signUpsOf(userKey: string): Promise<SignUp[]> {
    return this.signUpsOfNow(userKey);
  }

  private signUpsOfNow(userKey: string): SignUp[] {
    return this.signupList.filter((x) => x.userKey === userKey);
  }

  /** A table's sign-ups, in the order they came (the waitlist's order). */
  async signUps(tableId: string): Promise<SignUp[]> {
    return this.signUpsNow(tableId);
  }

  private signUpsNow(tableId: string): SignUp[] {
    return this.signupList.filter((x) => x.tableId === tableId);
  }

  /** Leaves a reminder for every confirmed person of these tables not yet reminded; returns how many. */
  async remind(tableIds: string[], now: Date): Promise<number> {
    const due = this.signupList.filter((x) => tableIds.includes(x.tableId) && x.status === 'confirmed' && !x.reminded);
    for (const x of due) {
      x.reminded = true;
      this.addNotice({ userKey: x.userKey, channel: x.channel, createdAt: now.toISOString(), kind: 'table_reminder', tableId: x.tableId, code: x.code });
    }
    if (due.length) await this.db.persist();
    return due.length;
  }

  /**
   * Records a person's vote on a commitment, on disk before it resolves. A second vote on the
   * same commitment replaces the first (and its comment): `replaced` says so.
   */
  async vote(userKey: string, commitmentId: string, vote: Vote, now: Date): Promise<{ replaced: boolean }> {
    const list = this.opinionList;
    const i = list.findIndex((o) => o.userKey === userKey && o.commitmentId === commitmentId);
    const opinion: Opinion = { commitmentId, userKey, vote, at: now.toISOString() };
    if (i >= 0) list.splice(i, 1);
    list.push(opinion);
    await this.db.persist();
    return { replaced: i >= 0 };
  }

  /** Adds a comment to the person's opinion on a commitment (which must exist). */
  async comment(userKey: string, channel: string, commitmentId: string, comment: string, now: Date): Promise<void> {
    const opinion = this.opinionList.find((o) => o.userKey === userKey && o.commitmentId === commitmentId);
    if (!opinion) throw new CabildoError('OPINION_NOT_FOUND', `No opinion on ${commitmentId} to comment on.`);
    // A new text is a new comment: its own number, and moderation of the old one does not carry over.
    const commentNo = nextCommentNo(this.db.data, commitmentId);
    Object.assign(opinion, { comment, commentNo, channel, at: now.toISOString() });
    delete opinion.hidden;
    await this.db.persist();
  }

  async setCommentHidden(ref: CommentRef, reason: string | undefined, actor: string, now: Date): Promise<'changed' | 'not_found'> {
    const opinion = this.opinionList.find((o) => o.commitmentId === ref.commitmentId && o.commentNo === ref.commentNo && o.comment !== undefined);
    if (!opinion) return 'not_found';
    const { audit, notice } = applyCommentHidden(opinion, ref, reason, actor, now);
    this.db.data.audit.push(audit);
    if (notice) this.db.data.notices.push(notice);
    await this.db.persist();
    return 'changed';
  }

  /** A person's opinions, in the order they gave them. */
  async opinionsOf(userKey: string): Promise<Opinion[]> {
    return this.opinionsOfNow(userKey);
  }

  private opinionsOfNow(userKey: string): Opinion[] {
    return this.opinionList.filter((o) => o.userKey === userKey);
  }

  /** Every opinion (on one commitment, when given), newest first. */
  async opinions(commitmentId?: string): Promise<Opinion[]> {
    return this.opinionsNow(commitmentId);
  }

  private opinionsNow(commitmentId?: string): Opinion[] {
    return this.opinionList.filter((o) => !commitmentId || o.commitmentId === commitmentId).reverse();
  }

  async setPriority(userKey: string, commitmentId: string, now: Date): Promise<void> {
    const list = this.priorityList;
    const i = list.findIndex((p) => p.userKey === userKey);
    if (i >= 0) list.splice(i, 1);
    list.push({ userKey, commitmentId, at: now.toISOString() });
    await this.db.persist();
  }

  async priorityOf(userKey: string): Promise<Priority | undefined> {
    return this.priorityOfNow(userKey);
  }

  private priorityOfNow(userKey: string): Priority | undefined {
    return this.priorityList.find((p) => p.userKey === userKey);
  }

  async priorities(): Promise<Priority[]> {
    return this.prioritiesNow();
  }

  private prioritiesNow(): Priority[] {
    return [...this.priorityList];
  }

  async respondToConsultation(commitmentId: string, text: string, actor: string, now: Date): Promise<void> {
    const at = now.toISOString();
    const responses = (this.db.data.responses ??= []).filter((r) => r.commitmentId !== commitmentId);
    responses.push({ commitmentId, text, at, by: actor });
    this.db.data.responses = responses;
    this.db.data.audit.push({ at, actor, action: 'consultation_response', detail: commitmentId });
    await this.db.persist();
  }

  async consultationResponses(): Promise<CommitmentResponse[]> {
    return [...(this.db.data.responses ?? [])];
  }

  /**
   * Leaves a notice for each author whose proposal a draft commitment integrates, once per
   * proposal however often it is called. Returns how many were left.
   */
  async invite(invitations: Invitation[], now: Date): Promise<number> {
    const invited = new Set(this.db.data.invited);
    let count = 0;
    let changed = false;
    for (const { proposalId, commitmentId } of invitations) {
      const p = this.byId.get(proposalId);
      if (invited.has(proposalId) || !p) continue;
      invited.add(proposalId);
      this.db.data.invited!.push(proposalId);
      changed = true;
      if (!p.userKey || p.status === 'retirada') continue;
      this.addNotice({ userKey: p.userKey, channel: p.channel, proposalId, createdAt: now.toISOString(), kind: 'draft_open', commitmentId });
      count++;
    }
    if (changed) await this.db.persist();
    return count;
  }

  /**
   * Forgets a person. Either scope erases their contact details, masks the personal data they
   * typed into their proposals' text, and drops their dialog state and notices; `withdraw`
   * also withdraws the proposals (`retirada`, never published again) and unlinks them from the
   * person. Returns how many proposals changed.
   */
  async eraseUser(userKey: string, scope: ErasureScope, now: Date): Promise<number> {
    const mine = this.db.data.proposals.filter((p) => p.userKey === userKey);
    for (const p of mine) forgetAuthor(p, scope, now);
    this.db.data.notices = this.db.data.notices.filter((n) => n.userKey !== userKey);
    this.db.data.outbox = (this.db.data.outbox ?? []).filter((e) => e.item.userKey !== userKey);
    // Sign-ups exist only to reach the person: either choice removes them, freeing their places.
    for (const x of this.signUpsOfNow(userKey)) this.release(x, now);
    if (scope === 'withdraw') {
      // Nothing will be sent to the person any more: forget where to reach them and their other identifiers.
      if (this.sessions.data.reach?.[userKey]) delete this.sessions.data.reach[userKey];
      const people = this.db.data.people ?? {};
      for (const [k, p] of Object.entries(people)) if (p === userKey) delete people[k];
      this.db.data.opinions = this.opinionList.filter((o) => o.userKey !== userKey);
      this.db.data.priorities = this.priorityList.filter((p) => p.userKey !== userKey);
    } else {
      for (const o of this.opinionsOfNow(userKey)) if (o.comment) o.comment = maskPersonalData(o.comment);
    }
    await Promise.all([this.db.persist(), this.setSession(userKey, undefined), this.sessions.persist()]);
    return mine.length;
  }

  // One process owns the file (the lock), so ordering work in this process is enough.
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.exclusives.run(key, work);
  }

  async firstDelivery(id: string): Promise<boolean> {
    return this.deliveries.first(id);
  }

  async claim(_name: string): Promise<boolean> {
    return true;
  }

  /** The documents as they stand, for `store migrate` (copied, so the caller cannot change them). */
  snapshot(): { records: StoreData; sessions: SessionData } {
    return structuredClone({ records: this.db.data, sessions: this.sessions.data });
  }

  chatConversations(limits: ChatLimits, now?: () => number): ChatConversations {
    return new MemoryChatConversations(limits, now);
  }

  async health(): Promise<StoreHealth> {
    const failures = [this.db.lastError, this.sessions.lastError].filter((f): f is WriteFailure => f !== undefined);
    const lastWriteError = failures.sort((a, b) => b.at.localeCompare(a.at))[0];
    const problem = await this.backing.probe?.();
    return { ok: !lastWriteError && !problem, ...(lastWriteError && { lastWriteError }), ...(problem && { problem }) };
  }

  /** Waits for every write in flight, then releases the file. */
  async close(): Promise<void> {
    await Promise.all([this.db.settled(), this.sessions.settled()]);
    this.backing.onClose?.();
  }

}

/** A notice compared by content, whatever the order of its fields (notices carry no id in the file). */
function sameNotice(notice: Notice): string {
  const record = notice as unknown as Record<string, unknown>;
  return JSON.stringify(Object.keys(record).sort().map((k) => [k, record[k]]));
}

/**
 * Comments written before comments had numbers get theirs, oldest first, after any number
 * already given, so staff can moderate them by reference (kept in memory until the next write).
 */
function numberOldComments(data: StoreData): void {
  const unnumbered = data.opinions!.filter((o) => o.comment !== undefined && o.commentNo === undefined).sort((a, b) => a.at.localeCompare(b.at));
  if (!unnumbered.length) return;
  for (const o of unnumbered) o.commentNo = nextCommentNo(data, o.commitmentId);
}

/** Takes the commitment's next comment number (numbers are never given twice). */
function nextCommentNo(data: StoreData, commitmentId: string): number {
  const counters = (data.commentCounters ??= {});
  return (counters[commitmentId] = (counters[commitmentId] ?? 0) + 1);
}
