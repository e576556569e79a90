/** Record rules every store implementation shares: how a proposal is made, and how it is forgotten. */
import { maskPersonalData } from '../privacy/mask.js';
import type { AuditEntry, ErasureScope, Notice, Opinion, Proposal, ProposalStatus, SignUp } from '../types.js';
import { commentRef, type CommentRef } from '../comment-ref.js';
import type { NewProposal, NewSignUp } from './port.js';

/** The fields a person wrote, scrubbed when they ask to be forgotten. */
const PERSON_TEXT = ['title', 'problem', 'description', 'actors', 'components', 'institution'] as const;


/** A new proposal under tracking number `id`; contact details only with consent. */
export function newProposal(input: NewProposal, id: string, now: Date): Proposal {
  const at = now.toISOString();
  return {
    id,
    createdAt: at,
    updatedAt: at,
    channel: input.channel,
    userKey: input.userKey,
    title: input.title,
    problem: input.problem,
    description: input.description,
    actors: input.actors,
    components: input.components,
    institution: input.institution,
    pillars: input.pillars,
    territory: input.territory,
    consent: input.consent,
    ...(input.consent && input.contact ? { contact: input.contact } : {}),
    status: 'recibida',
    history: [{ status: 'recibida', at, by: 'citizen' }],
    ...(input.dialogId ? { dialogId: input.dialogId } : {}),
  };
}

/**
 * A proposal whose author asked to be forgotten, changed in place: contact erased, personal data
 * typed into the text masked; with `withdraw`, also withdrawn and unlinked from the person.
 */
export function forgetAuthor(p: Proposal, scope: ErasureScope, now: Date): void {
  const at = now.toISOString();
  delete p.contact;
  p.consent = false;
  p.updatedAt = at;
  for (const field of PERSON_TEXT) p[field] = maskPersonalData(p[field]);
  if (scope !== 'withdraw') return;
  delete p.userKey;
  if (p.status !== 'retirada') {
    p.status = 'retirada';
    p.history.push({ status: 'retirada', at, by: 'citizen' });
  }
}

/** What a staff status change writes: the change on the proposal, its audit entry and, for a linked author, a notice. */
export function applyStatus(
  proposal: Proposal,
  change: { status: ProposalStatus; answer?: string; actor: string },
  now: Date,
): { audit: AuditEntry; notice?: Notice } {
  const at = now.toISOString();
  proposal.status = change.status;
  proposal.updatedAt = at;
  if (change.answer !== undefined) proposal.answer = change.answer;
  proposal.history.push({ status: change.status, at, by: change.actor, ...(change.answer !== undefined ? { answer: change.answer } : {}) });
  const audit: AuditEntry = { at, actor: change.actor, action: 'status', proposalId: proposal.id, detail: change.status };
  return proposal.userKey ? { audit, notice: { userKey: proposal.userKey, channel: proposal.channel, proposalId: proposal.id, createdAt: at } } : { audit };
}

/**
 * Staff moderation: hides a proposal from the public results with a reason (or shows it again),
 * with the audit entry and, for a linked author, a notice saying why.
 */
export function applyHidden(proposal: Proposal, reason: string | undefined, actor: string, now: Date): { audit: AuditEntry; notice?: Notice } {
  const at = now.toISOString();
  if (reason !== undefined) proposal.hidden = { reason, at, by: actor };
  else delete proposal.hidden;
  const audit: AuditEntry = { at, actor, action: reason !== undefined ? 'hide' : 'unhide', proposalId: proposal.id, ...(reason !== undefined ? { detail: reason } : {}) };
  if (!proposal.userKey) return { audit };
  return { audit, notice: { userKey: proposal.userKey, channel: proposal.channel, createdAt: at, kind: 'moderation', proposalId: proposal.id, hidden: reason !== undefined, ...(reason !== undefined ? { reason } : {}) } };
}

/** Hides a comment (with the reason) or shows it again: the audit entry, and the author's notice when the comment says where they wrote. */
export function applyCommentHidden(opinion: Opinion, ref: CommentRef, reason: string | undefined, actor: string, now: Date): { audit: AuditEntry; notice?: Notice } {
  const at = now.toISOString();
  if (reason !== undefined) opinion.hidden = { reason, at, by: actor };
  else delete opinion.hidden;
  const audit: AuditEntry = { at, actor, action: reason !== undefined ? 'hide_comment' : 'unhide_comment', comment: commentRef(ref), ...(reason !== undefined ? { detail: reason } : {}) };
  if (!opinion.channel) return { audit };
  const notice: Notice = { userKey: opinion.userKey, channel: opinion.channel, createdAt: at, kind: 'comment_moderation', commitmentId: ref.commitmentId, commentNo: ref.commentNo, hidden: reason !== undefined, ...(reason !== undefined ? { reason } : {}) };
  return { audit, notice };
}

/** Codes people read aloud and type on phones: no 0/O or 1/I. */
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

export function signUpCode(tableId: string, bytes: Uint8Array): string {
  return `${tableId}-${Array.from(bytes.subarray(0, 4), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('')}`;
}

/** A new sign-up with its code and status, as both stores write it. */
export function newSignUp(input: NewSignUp, code: string, confirmed: boolean, now: Date): SignUp {
  const at = now.toISOString();
  return {
    code,
    tableId: input.tableId,
    userKey: input.userKey,
    channel: input.channel,
    name: input.name,
    ...(input.email ? { email: input.email } : {}),
    ...(input.phone ? { phone: input.phone } : {}),
    status: confirmed ? 'confirmed' : 'waitlist',
    createdAt: at,
    updatedAt: at,
  };
}
