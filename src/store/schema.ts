/**
 * The store documents' schema, checked whole when a file is opened: a file that does not fit is
 * refused with the path of the first bad value, never half-loaded (a record missing a field
 * would only fail later, in front of a citizen or in an export).
 */
import { z } from 'zod';
import { INTENT_NAMES, PILLARS, PROPOSAL_STATUSES, PROPOSAL_STEPS, VOTES } from '../types.js';
import { STAGE_IDS } from '../content/schema.js';

const isoDate = z.iso.datetime({ offset: true });
const moderation = z.object({ reason: z.string(), at: isoDate, by: z.string() });
const status = z.enum(PROPOSAL_STATUSES);

const statusChange = z.object({ status, at: isoDate, by: z.string(), answer: z.string().optional() });

const proposal = z.object({
  id: z.string().regex(/^[A-Z]{2}-\d{4}-\d{6}$/),
  createdAt: isoDate,
  updatedAt: isoDate,
  channel: z.string(),
  userKey: z.string().optional(),
  consent: z.boolean(),
  contact: z.object({ name: z.string().optional(), organization: z.string().optional(), email: z.string().optional() }).optional(),
  status,
  answer: z.string().optional(),
  history: z.array(statusChange),
  dialogId: z.string().optional(),
  hidden: moderation.optional(),
  title: z.string(),
  problem: z.string(),
  description: z.string(),
  actors: z.string(),
  components: z.string(),
  institution: z.string(),
  pillars: z.array(z.enum(PILLARS)),
  territory: z.string(),
});

const noticeBase = { userKey: z.string(), channel: z.string(), createdAt: isoDate };
const notice = z.union([
  z.object({ ...noticeBase, kind: z.literal('status').optional(), proposalId: z.string() }),
  z.object({ ...noticeBase, kind: z.literal('draft_open'), proposalId: z.string(), commitmentId: z.string() }),
  z.object({ ...noticeBase, kind: z.literal('moderation'), proposalId: z.string(), hidden: z.boolean(), reason: z.string().optional() }),
  z.object({ ...noticeBase, kind: z.literal('comment_moderation'), commitmentId: z.string(), commentNo: z.number().int().positive(), hidden: z.boolean(), reason: z.string().optional() }),
  z.object({ ...noticeBase, kind: z.enum(['table_promoted', 'table_reminder']), tableId: z.string(), code: z.string() }),
]);
/** What an email says: a notice, or a work-table sign-up's confirmation (src/store/outbox.ts). */
const emailItem = z.union([notice, z.object({ ...noticeBase, kind: z.literal('table_signup'), tableId: z.string(), code: z.string() })]);
const outboxEntry = z.object({ id: z.string(), item: emailItem, attempts: z.number().int().nonnegative(), queuedAt: isoDate, nextAt: isoDate.optional() });
const signUp = z.object({
  code: z.string(),
  tableId: z.string(),
  userKey: z.string(),
  channel: z.string(),
  name: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  status: z.enum(['confirmed', 'waitlist']),
  createdAt: isoDate,
  updatedAt: isoDate,
  reminded: z.boolean().optional(),
});
const opinion = z.object({
  commitmentId: z.string(),
  userKey: z.string(),
  vote: z.enum(VOTES),
  comment: z.string().optional(),
  commentNo: z.number().int().positive().optional(),
  channel: z.string().optional(),
  hidden: moderation.optional(),
  at: isoDate,
});
const priority = z.object({ userKey: z.string(), commitmentId: z.string(), at: isoDate });
const auditEntry = z.object({ at: isoDate, actor: z.string(), action: z.string(), proposalId: z.string().optional(), comment: z.string().optional(), detail: z.string().optional() });

export const storeDataSchema = z.object({
  v: z.literal(1),
  proposals: z.array(proposal).superRefine((proposals, ctx) => {
    const seen = new Set<string>();
    proposals.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `tracking number ${p.id} appears twice` });
      seen.add(p.id);
    });
  }),
  counters: z.record(z.string().regex(/^\d{4}$/), z.number().int().nonnegative()),
  /** The last comment number given per draft commitment (absent in files written before comments had numbers). */
  commentCounters: z.record(z.string(), z.number().int().nonnegative()).optional(),
  notices: z.array(notice),
  audit: z.array(auditEntry),
  // Absent in files written before the draft consultation existed.
  opinions: z.array(opinion).optional(),
  priorities: z.array(priority).optional(),
  invited: z.array(z.string()).optional(),
  signups: z.array(signUp).optional(),
  responses: z.array(z.object({ commitmentId: z.string(), text: z.string(), at: isoDate, by: z.string() })).optional(),
  // Absent in files written before email delivery existed.
  outbox: z.array(outboxEntry).optional(),
  outboxSeq: z.number().int().nonnegative().optional(),
  unsubscribed: z.array(z.string()).optional(),
  people: z.record(z.string(), z.string()).optional(),
});

const draft = z.object({
  title: z.string(), problem: z.string(), description: z.string(), actors: z.string(), components: z.string(),
  institution: z.string(), pillars: z.array(z.enum(PILLARS)), territory: z.string(), consent: z.boolean(),
  name: z.string(), organization: z.string(), email: z.string(),
}).partial();

const currentDialogState = z.discriminatedUnion('form', [
  z.object({
    v: z.literal(1),
    form: z.literal('proposal'),
    id: z.string().optional(),
    step: z.enum(PROPOSAL_STEPS),
    draft,
    trail: z.array(z.enum(PROPOSAL_STEPS)),
    attempts: z.number().int().nonnegative(),
    editing: z.boolean(),
    choosingField: z.boolean().optional(),
    confirmingCancel: z.boolean().optional(),
    updatedAt: isoDate,
  }),
  z.object({ v: z.literal(1), form: z.literal('deletion'), updatedAt: isoDate, asked: z.boolean().optional() }),
  z.object({
    v: z.literal(1),
    form: z.literal('draft'),
    commitment: z.string().optional(),
    step: z.enum(['vote', 'comment', 'priority']),
    attempts: z.number().int().nonnegative(),
    updatedAt: isoDate,
  }),
  z.object({
    v: z.literal(1),
    form: z.literal('signup'),
    step: z.enum(['table', 'consent', 'name', 'contact']),
    tableId: z.string().optional(),
    name: z.string().optional(),
    offset: z.number().int().nonnegative(),
    attempts: z.number().int().nonnegative(),
    updatedAt: isoDate,
  }),
  z.object({
    v: z.literal(1),
    form: z.literal('context'),
    topic: z.enum(INTENT_NAMES),
    fact: z.string().optional(),
    level: z.enum(['fact', 'overview', 'more']),
    choices: z.array(z.enum(INTENT_NAMES)).optional(),
    stage: z.enum(STAGE_IDS).optional(),
    updatedAt: isoDate,
  }),
]);
/** A state written by another version is kept as it is: the engine drops it with a notice to the person. */
const otherVersionState = z.looseObject({ v: z.number().int().refine((v) => v !== 1) });

export const sessionDataSchema = z.object({
  v: z.literal(1),
  sessions: z.record(z.string(), z.union([currentDialogState, otherVersionState])),
  reach: z.record(z.string(), z.object({ at: isoDate, address: z.string().startsWith('s1.') })).optional(),
});
