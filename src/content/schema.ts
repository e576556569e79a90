/**
 * Schemas for the content a municipality edits: intents, facts, the consultation calendar,
 * the proposal form and the bot's own wording. Validated once at start and by `cabildo check`.
 */
import { z } from 'zod';
import { INTENT_NAMES, MAX_OPTION_LENGTH, MAX_OPTIONS, PILLARS } from '../types.js';

export const MIN_EXAMPLES = 15;

const text = z.string().trim().min(1, 'must not be empty');

export const optionsSchema = z
  .array(text.max(MAX_OPTION_LENGTH, `an option has at most ${MAX_OPTION_LENGTH} characters`))
  .max(MAX_OPTIONS, `at most ${MAX_OPTIONS} options`);

export const ACTIONS = ['timeline', 'proposal.start', 'proposal.status', 'data_deletion', 'draft_plan', 'work_tables', 'results'] as const;
export type Action = (typeof ACTIONS)[number];

export const intentFileSchema = z
  .object({
    intent: z.enum(INTENT_NAMES, { error: (issue) => `unknown intent name ${JSON.stringify(issue.input)}` }),
    examples: z.array(text).min(MIN_EXAMPLES, `at least ${MIN_EXAMPLES} examples`),
    /** `text` is the first reply (at most a phone screen); `more`, when present, is what "Ver más" adds. */
    answer: z.strictObject({ text, more: text.optional(), options: optionsSchema.optional() }).optional(),
    action: z.enum(ACTIONS).optional(),
  })
  .strict()
  .refine((f) => (f.answer === undefined) !== (f.action === undefined), {
    message: 'needs exactly one of `answer` or `action`',
  });
export type IntentFile = z.infer<typeof intentFileSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');

/** Where a fact comes from: a seed document's file name, or a law and its article. */
export const sourceSchema = z.union([
  text,
  z.strictObject({ law: text, article: text.optional(), url: z.url().optional() }),
]);

export const factSchema = z.strictObject({
  value: text,
  source: sourceSchema,
  as_of: text.optional(),
});

const factId = z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'fact ids are lowercase words joined by dots');

/**
 * A fact (or a small group of facts) as an answer: the questions people ask about it and a
 * short reply citing the facts (`{{fact.id}}`). A question close to these gets this reply,
 * with "Ver más" leading to the topic's overview (the intent's answer).
 */
export const factAnswerSchema = z.strictObject({
  id: factId,
  /** The topic it belongs to: the intent whose overview "Ver más" shows. */
  intent: z.enum(INTENT_NAMES, { error: (issue) => `unknown intent name ${JSON.stringify(issue.input)}` }),
  questions: z.array(text).min(3, 'at least 3 questions'),
  answer: text,
  options: optionsSchema.optional(),
});
export type FactAnswer = z.infer<typeof factAnswerSchema>;

export const knowledgeSchema = z.strictObject({
  facts: z.record(factId, factSchema),
  answers: z.array(factAnswerSchema).default([]),
});
export type Fact = z.infer<typeof factSchema>;

/**
 * Where to send what the bot does not handle (`data/referrals.yaml`): each installation fills
 * it with its municipality's OIRS and channels, and where to check that this chat is official.
 */
export const referralsSchema = z.strictObject({
  /** The office for complaints and requests about services, e.g. "la OIRS de la Municipalidad de Renca". */
  oirs: text,
  /** How to reach it: one line (web, phone, address, hours). */
  channels: text,
  /** Where a person can check that this chat is official (a page of the organiser that announces it). */
  official: text,
  /** Who guides people through other public services' procedures (pensions, ID cards, taxes); without it, the bot only says it cannot help. */
  services: text.optional(),
});
export type Referrals = z.infer<typeof referralsSchema>;

export const STAGE_IDS = [
  'awareness',
  'reception',
  'work_tables',
  'results',
  'selection',
  'draft_consultation',
  'plan_publication',
] as const;
export type StageId = (typeof STAGE_IDS)[number];

export const consultationSchema = z
  .strictObject({
    name: text,
    territory: text,
    organizer: text,
    url: z.url().optional(),
    /** The organiser's logo on the web page: an image file in `data/` (PNG, JPEG, SVG or WebP). */
    logo: z.string().regex(/^[\w-][\w.-]*\.(png|jpe?g|svg|webp)$/i, 'must be an image file name in data/, such as logo.png').optional(),
    /** The organiser's privacy policy, linked from the web page's footer. */
    privacy_url: z.url({ protocol: /^https?$/, error: 'must be a web address (https://…)' }).optional(),
    /** How to reach the organiser, in the web page's footer: an email, a web address or a phone. */
    contact: text.max(200).optional(),
    /** Where "today" is reckoned; dates in `stages` are local dates there. */
    timezone: z.string().default('America/Santiago'),
    stages: z
      .array(
        z.strictObject({
          id: z.enum(STAGE_IDS),
          name: text,
          description: text,
          start: isoDate,
          end: isoDate,
        }),
      )
      .min(1),
  })
  .superRefine((c, ctx) => {
    c.stages.forEach((s, i) => {
      if (s.end < s.start) ctx.addIssue({ code: 'custom', path: ['stages', i, 'end'], message: `ends (${s.end}) before it starts (${s.start})` });
    });
    if (!c.stages.some((s) => s.id === 'reception')) {
      ctx.addIssue({ code: 'custom', path: ['stages'], message: 'needs a stage with id `reception` (proposal reception)' });
    }
  });
export type Consultation = z.infer<typeof consultationSchema>;
export type Stage = Consultation['stages'][number];

/** The draft action plan under public consultation (`data/draft-plan.yaml`). */
export const draftPlanSchema = z
  .strictObject({
    name: text,
    intro: text,
    commitments: z
      .array(
        z.strictObject({
          id: z.string().regex(/^C\d{1,3}$/, 'commitment ids are C1, C2, …'),
          title: text.max(120),
          problem: text,
          what: text,
          institution: text,
          actors: text,
          pillars: z.array(z.enum(PILLARS)).min(1),
          territory: text,
          milestones: z.array(z.strictObject({ text, date: isoDate })).default([]),
          /** Tracking numbers of the proposals this commitment integrates. */
          origin: z.array(z.string().regex(/^[A-Z]{2}-\d{4}-\d{6}$/, 'origin lists tracking numbers like GA-2027-000123')).default([]),
        }),
      )
      .min(1),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.commitments.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['commitments', i, 'id'], message: `${c.id} is used twice` });
      seen.add(c.id);
    });
  });
export type DraftPlan = z.infer<typeof draftPlanSchema>;
export type Commitment = DraftPlan['commitments'][number];

/** Work tables people sign up for (`data/work-tables.yaml`). */
export const workTablesSchema = z
  .strictObject({
    tables: z
      .array(
        z
          .strictObject({
            id: z.string().regex(/^M\d{1,3}$/, 'table ids are M1, M2, …'),
            theme: text.max(120),
            date: isoDate,
            time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM'),
            place: text.optional(),
            online: z.url().optional(),
            territory: text,
            capacity: z.number().int().positive(),
            signup_deadline: isoDate,
          })
          .refine((t) => (t.place === undefined) !== (t.online === undefined), { message: 'needs exactly one of `place` (an address) or `online` (a link)' })
          .refine((t) => t.signup_deadline <= t.date, { message: 'signup_deadline must not be after the table\'s date', path: ['signup_deadline'] }),
      )
      .min(1),
  })
  .superRefine((w, ctx) => {
    const seen = new Set<string>();
    w.tables.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['tables', i, 'id'], message: `${t.id} is used twice` });
      seen.add(t.id);
    });
  });
export type WorkTable = z.infer<typeof workTablesSchema>['tables'][number];

const fieldPrompt = z.strictObject({
  label: text.max(MAX_OPTION_LENGTH),
  question: text,
  example: text,
  /** What the field expects, for a person who asks about it ("¿qué tipo de problema pongo?"). */
  help: text.optional(),
});

/** Wording of the proposal form: one entry per field, plus re-asks by reason code. */
export const proposalFormSchema = z.strictObject({
  fields: z.strictObject({
    title: fieldPrompt,
    problem: fieldPrompt,
    description: fieldPrompt,
    actors: fieldPrompt,
    components: fieldPrompt,
    institution: fieldPrompt,
    pillars: fieldPrompt,
    territory: fieldPrompt,
    name: fieldPrompt,
    organization: fieldPrompt,
    email: fieldPrompt,
  }),
  reasons: z.strictObject({
    empty: text,
    no_letters: text,
    too_short: text,
    too_long: text,
    unknown_pillar: text,
    unknown_territory: text,
    /** A re-ask that names the closest matches: `{options}` becomes "Valparaíso o Vallenar". */
    did_you_mean: text,
    invalid_email: text,
    yes_or_no: text,
  }),
});
export type ProposalForm = z.infer<typeof proposalFormSchema>;

/** The bot's own sentences, keyed by what they are for; `{name}` marks a value filled in. */
export const MESSAGE_KEYS = [
  'start_intro',
  'consent_question',
  'summary_intro',
  'summary_question',
  'contact_anonymous',
  'edit_which',
  'edit_unknown',
  'submitted',
  'submit_failed',
  'cancelled',
  'nothing_to_cancel',
  'back_at_start',
  'resume',
  'dialog_help',
  'too_many_attempts',
  'session_expired',
  'reception_not_open',
  'reception_closed',
  'status_found',
  'status_found_public',
  'status_withdrawn_public',
  'status_hidden_public',
  'status_not_found',
  'status_none_yet',
  'status_list_intro',
  'status_answer',
  'notice_status_changed',
  'deletion_confirm',
  'deletion_unclear',
  'deletion_done_contact',
  'deletion_done_withdraw',
  'deletion_nothing',
  'deletion_kept',
  'my_data_intro',
  'my_data_empty',
  'my_data_draft',
  'timeline_current',
  'timeline_next',
  'timeline_before',
  'timeline_after',
  'timeline_reception_open',
  'draft_intro',
  'draft_commitment',
  'draft_more',
  'draft_vote_question',
  'draft_vote_unclear',
  'draft_replaced',
  'draft_comment_question',
  'draft_comment_saved',
  'draft_priority_question',
  'draft_priority_unclear',
  'draft_done',
  'draft_all_done',
  'draft_unknown_commitment',
  'draft_not_open',
  'draft_closed',
  'draft_no_plan',
  'draft_resume',
  'draft_cancelled',
  'my_opinions_intro',
  'my_opinions_none',
  'my_data_opinions',
  'notice_draft_open',
  'notice_hidden',
  'notice_comment_hidden',
  'notice_comment_unhidden',
  'notice_unhidden',
  'today_before',
  'today_awareness',
  'today_reception',
  'today_work_tables',
  'today_draft',
  'today_results',
  'today_between',
  'today_after',
  'work_tables_info',
  'tables_list',
  'tables_closed',
  'tables_none',
  'tables_pick_unclear',
  'tables_unknown',
  'tables_deadline_passed',
  'signup_privacy',
  'signup_consent_refused',
  'signup_name_question',
  'signup_contact_question',
  'signup_contact_invalid',
  'signup_confirmed',
  'signup_waitlist',
  'signup_already',
  'signup_cancelled',
  'signup_cancel_unknown',
  'signup_cancelled_flow',
  'my_signups_intro',
  'my_signups_none',
  'my_data_signups',
  'notice_table_promoted',
  'notice_table_reminder',
  'results_info',
  'results_link',
  'results_where',
  'other_services',
  'calendar_intro',
  'calendar_now',
  'work_tables_where',
  'tables_online',
  'welcome_back',
  'welcome_back_step',
  'welcome_back_contact',
  'welcome_back_summary',
  'welcome_back_answered',
  'already_proposing',
  'flow_busy',
  'cancel_confirm',
  'cancel_kept',
  'edit_cancelled',
  'summary_choices',
  'pillars_picked',
  'pillars_empty',
  'pillars_noted',
  'contact_yes',
  'organization_which',
  'submitted_next',
  'signup_welcome_back',
  'signup_resume',
  'deletion_welcome_back',
  'deletion_resume',
  'clarify',
  'more_unknown',
  'more_end',
  'proposal_how',
  'stage_dates',
  'place_consultation',
  'empty_message',
  'not_text',
  'message_truncated',
  'internal_error',
] as const;
export type MessageKey = (typeof MESSAGE_KEYS)[number];

export const messagesSchema = z.strictObject({
  messages: z.strictObject(Object.fromEntries(MESSAGE_KEYS.map((k) => [k, text])) as Record<MessageKey, typeof text>),
  status_labels: z.strictObject({
    recibida: text,
    en_revision: text,
    seleccionada: text,
    no_seleccionada: text,
    retirada: text,
  }),
  vote_labels: z.strictObject({ agree: text, disagree: text, pass: text }),
  pillar_labels: z.strictObject({
    transparency: text,
    participation: text,
    accountability: text,
    collaboration: text,
    innovation: text,
  }),
  options: z.strictObject({
    yes: text,
    no: text,
    confirm: text,
    edit: text,
    cancel: text,
    back: text,
    skip: text,
    help: text,
    start: text,
    my_proposals: text,
    delete_data: text,
    erase_contact: text,
    erase_withdraw: text,
    agree: text,
    disagree: text,
    pass: text,
    draft: text,
    results: text,
    tables: text,
    my_opinions: text,
    calendar: text,
    sign_up: text,
    my_signups: text,
    more_tables: text,
    timeline: text,
    done: text.max(MAX_OPTION_LENGTH),
    more: text.max(MAX_OPTION_LENGTH),
  }),
  /**
   * A short name per topic (intent), at most an option long: "¿Me preguntas por A o por B?"
   * offers them as options, so each must lead back to its intent (a test checks it).
   */
  topics: z.partialRecord(z.enum(INTENT_NAMES), text.max(MAX_OPTION_LENGTH)).default({}),
});
export type Messages = z.infer<typeof messagesSchema>;

/** A Código Único Territorial: two digits for a region, five for a commune. */
const cut = (digits: number) => z.string().regex(new RegExp(`^\\d{${digits}}$`), `must be a CUT code of ${digits} digits, in quotes`);

export const territoriesSchema = z.strictObject({
  national: z.array(text).min(1),
  regions: z.array(z.strictObject({ cut: cut(2), name: text, aliases: z.array(text).default([]) })).min(1),
});
export type Territories = z.infer<typeof territoriesSchema>;

/** `data/communes.yaml`: every commune under its region (by the region's name in territories.yaml). */
export const communesSchema = z.strictObject({
  source: text,
  as_of: isoDate,
  regions: z
    .array(
      z.strictObject({
        region: text,
        communes: z.array(z.strictObject({ cut: cut(5), name: text, aliases: z.array(text).default([]) })).min(1),
      }),
    )
    .min(1),
});
export type Communes = z.infer<typeof communesSchema>;
