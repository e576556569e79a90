/**
 * The domain types every front end and module shares. All plain JSON: no class instances,
 * dates as ISO strings, so state can be stored, diffed and sent over any channel.
 */
import type { StageId } from './content/schema.js';

/** The public list of intents: `classify` prints these names and evaluations score by them. */
export const INTENT_NAMES = [
  'greeting',
  'goodbye',
  'thanks',
  'help',
  'human',
  'open_government',
  'pillars',
  'pillar.transparency',
  'pillar.participation',
  'pillar.accountability',
  'pillar.innovation',
  'ogp',
  'ogp.membership',
  'ogp.local',
  'action_plan',
  'chile.plans',
  'commitment',
  'commitment.examples',
  'forum',
  'participate',
  'timeline',
  'open_data',
  'access_to_information',
  'service_request',
  'bot.identity',
  'proposal.start',
  'proposal.status',
  'draft_plan',
  'work_tables',
  'results',
  'privacy',
  'data_deletion',
  'none',
] as const;

export type IntentName = (typeof INTENT_NAMES)[number];

/** A message from a person, already translated out of the channel's payload. */
export interface Inbound {
  /** Channel name, e.g. `webchat`, `slack`, `whatsapp`, `cli`. */
  channel: string;
  /** The channel's own id for the person; stored only as a keyed hash. */
  userId: string;
  text: string;
  /** Shown by some channels; never stored. */
  displayName?: string;
  /** The person sent something other than text (audio, image, sticker, location): `text` is ignored. */
  nonText?: boolean;
}

/** What the bot says back: markdown subset (bold, lists, links) plus tappable options. */
export interface Reply {
  text: string;
  /** At most {@link MAX_OPTIONS}, each at most {@link MAX_OPTION_LENGTH} characters. */
  options?: string[];
}

export const MAX_OPTIONS = 10;
export const MAX_OPTION_LENGTH = 20;
/** Longest text the engine reads from one message; the rest is cut with a notice. */
export const MAX_MESSAGE_LENGTH = 20_000;
/** Longest answer accepted for one proposal field. */
export const MAX_FIELD_LENGTH = 1_500;

/** The result of understanding one message. */
export interface IntentMatch {
  intent: IntentName;
  /** 0..1; 1 for certain rules. */
  confidence: number;
  /** How the intent was found: a certain pattern, a training example word for word, the classifier, or the out-of-scope guard. */
  source: 'rule' | 'example' | 'classifier' | 'out_of_scope';
  /** Present when the text holds a tracking number. */
  trackingNumber?: string;
  /** The classifier's second guess, when it had one (for asking "¿A o B?" when the two are close). */
  runnerUp?: { intent: IntentName; confidence: number };
}

/** What one turn produced: the replies, and the intent acted on (null when the text answered a dialog question). */
export interface TurnResult {
  intent: IntentName | null;
  replies: Reply[];
}

export const PROPOSAL_STATUSES = ['recibida', 'en_revision', 'seleccionada', 'no_seleccionada', 'retirada'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const PILLARS = ['transparency', 'participation', 'accountability', 'collaboration', 'innovation'] as const;
export type Pillar = (typeof PILLARS)[number];

/** Contact details, only with explicit consent; every field optional. */
export interface Contact {
  name?: string;
  organization?: string;
  email?: string;
}

/** The commitment fields a citizen writes, as the seeds define a commitment. */
export interface ProposalFields {
  title: string;
  problem: string;
  description: string;
  actors: string;
  components: string;
  institution: string;
  pillars: Pillar[];
  territory: string;
}

export interface StatusChange {
  status: ProposalStatus;
  at: string;
  /** Who changed it: a staff member's handle, `citizen`, or `system`. */
  by: string;
  answer?: string;
}

export interface Proposal extends ProposalFields {
  /** Tracking number, `GA-<year>-<6 digits>`. */
  id: string;
  createdAt: string;
  updatedAt: string;
  channel: string;
  /** Keyed hash of channel and user id; absent once the person asked to be forgotten. */
  userKey?: string;
  consent: boolean;
  contact?: Contact;
  status: ProposalStatus;
  /** The staff's reasoned answer the citizen sees. */
  answer?: string;
  history: StatusChange[];
  /** The dialog that filed it: a second confirmation of the same dialog gets this proposal back, not a copy. */
  dialogId?: string;
  /** Hidden from the public pages and files by staff moderation, with the reason shown in its place. */
  hidden?: Moderation;
}

/** Staff hid something a person wrote from the public pages and files; the reason is shown in its place. */
export interface Moderation {
  reason: string;
  at: string;
  by: string;
}

/** A message waiting for a person, left by a status change; worded when delivered. */
export type Notice = { userKey: string; channel: string; createdAt: string } & (
  /** A proposal's status changed (`kind` absent in notices stored before there were other kinds). */
  | { kind?: 'status'; proposalId: string }
  /** The draft consultation opened, and `commitmentId` integrates the person's proposal. */
  | { kind: 'draft_open'; proposalId: string; commitmentId: string }
  /** Staff hid the proposal from the public results (with the reason) or showed it again. */
  | { kind: 'moderation'; proposalId: string; hidden: boolean; reason?: string }
  /** Staff hid the person's comment on a draft commitment (with the reason) or showed it again. */
  | { kind: 'comment_moderation'; commitmentId: string; commentNo: number; hidden: boolean; reason?: string }
  /** A place at a work table: freed for someone on the waitlist, or a reminder the day before. */
  | { kind: 'table_promoted' | 'table_reminder'; tableId: string; code: string }
);

/** How a work-table sign-up stands: a place, or a place in line. */
export type SignUpStatus = 'confirmed' | 'waitlist';

/**
 * A place at a work table. Name and one way to reach the person, given with consent because
 * the details must reach them; staff only, never published.
 */
export interface SignUp {
  /** Short code the person quotes to cancel ("M2-7KQ4"). */
  code: string;
  tableId: string;
  userKey: string;
  channel: string;
  name: string;
  email?: string;
  phone?: string;
  status: SignUpStatus;
  createdAt: string;
  updatedAt: string;
  /** The reminder the day before was left. */
  reminded?: boolean;
}

/** pol.is semantics: agree, disagree, or pass (seen, no position). */
export const VOTES = ['agree', 'disagree', 'pass'] as const;
export type Vote = (typeof VOTES)[number];

/**
 * One person's opinion on one commitment of the draft plan: no contact data, only the keyed
 * hash (one opinion per person and commitment; voting again replaces it).
 */
export interface Opinion {
  commitmentId: string;
  userKey: string;
  vote: Vote;
  comment?: string;
  /** The comment's public number within its commitment (`C3:12`), given when the comment is written. */
  commentNo?: number;
  /** Where the comment was written, so a moderation notice reaches its author; never published. */
  channel?: string;
  hidden?: Moderation;
  at: string;
}

/** The commitment a person chose as the most important of the draft (one per person). */
export interface Priority {
  userKey: string;
  commitmentId: string;
  at: string;
}

/** The staff's response to the public consultation on one draft commitment (what was taken up, and why). */
export interface CommitmentResponse {
  commitmentId: string;
  text: string;
  at: string;
  by: string;
}

/** Staff actions, kept for accountability. */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  proposalId?: string;
  /** A comment on the draft, by its public reference (`C3:12`). */
  comment?: string;
  detail?: string;
}

/** Steps of the proposal form: the commitment fields, then consent and optional contact, then the summary. */
export const PROPOSAL_STEPS = [
  'title',
  'problem',
  'description',
  'actors',
  'components',
  'institution',
  'pillars',
  'territory',
  'consent',
  'name',
  'organization',
  'email',
  'summary',
] as const;
export type ProposalStep = (typeof PROPOSAL_STEPS)[number];

/** Answers collected so far; values already validated and normalised. */
export interface ProposalDraft {
  title?: string;
  problem?: string;
  description?: string;
  actors?: string;
  components?: string;
  institution?: string;
  pillars?: Pillar[];
  territory?: string;
  consent?: boolean;
  name?: string;
  organization?: string;
  email?: string;
}

/**
 * A person's conversation state between turns. Versioned: a record with another `v`, or older
 * than the expiry, is dropped with a notice instead of being misread.
 */
export type DialogState =
  | {
      v: 1;
      form: 'proposal';
      /** Random id of this filling of the form, recorded on the proposal it files (absent in states saved by older versions). */
      id?: string;
      step: ProposalStep;
      draft: ProposalDraft;
      /** Steps already answered, most recent last, for `atrás`. */
      trail: ProposalStep[];
      /** Failed tries on the current step. */
      attempts: number;
      /** True while changing one field from the summary: the next valid answer returns to it. */
      editing: boolean;
      /** True while the summary waits for the name or number of the field to change. */
      choosingField?: boolean;
      /** True while "¿seguro que quieres cancelar?" waits for a yes or a no. */
      confirmingCancel?: boolean;
      updatedAt: string;
    }
  | { v: 1; form: 'deletion'; updatedAt: string; /** The choice was asked again once already. */ asked?: boolean }
  | {
      v: 1;
      form: 'draft';
      /** The commitment on screen (its id), or the closing question. */
      commitment?: string;
      step: DraftStep;
      /** Failed tries on the current question. */
      attempts: number;
      updatedAt: string;
    }
  | {
      v: 1;
      form: 'signup';
      step: SignUpStep;
      tableId?: string;
      name?: string;
      /** First table shown in the list (past 10 tables, the list pages). */
      offset: number;
      attempts: number;
      updatedAt: string;
    }
  | {
      v: 1;
      /** Not a dialog: what the last answer was about, so a short follow-up ("y eso cuándo es?") is read in its context for a few minutes. */
      form: 'context';
      /** The intent of the last answer. */
      topic: IntentName;
      /** The fact answer given, when it was one. */
      fact?: string;
      /** How deep the person has read: a fact, the overview, or the overview's "Ver más". */
      level: 'fact' | 'overview' | 'more';
      /** The two intents offered when the bot asked "¿A o B?". */
      choices?: IntentName[];
      /** The stage of the calendar the last answer was about ("¿cuándo es la consulta del borrador?"). */
      stage?: StageId;
      updatedAt: string;
    };

/** Steps of the draft consultation: a vote on the commitment, an optional comment, then the most important one. */
export type DraftStep = 'vote' | 'comment' | 'priority';

/** Steps of a work-table sign-up: which table, consent, name, how to reach the person. */
export type SignUpStep = 'table' | 'consent' | 'name' | 'contact';

/** What a person asked to be forgotten: contact details only, or their proposals withdrawn as well. */
export type ErasureScope = 'contact' | 'withdraw';

export const DIALOG_STATE_VERSION = 1;
