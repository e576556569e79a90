/**
 * The proposal form: the commitment's fields in the order the seeds give them, then consent and
 * optional contact, then a summary to confirm, edit or cancel. Pure: it takes the state and the
 * text and returns what to do; the engine does the writing and the knowledge answers.
 */
import { randomUUID } from 'node:crypto';
import type { Content } from '../content/load.js';
import { literal } from '../text/markdown.js';
import { normalize } from '../nlu/normalize.js';
import { fillSlots } from '../answers/facts.js';
import {
  PILLARS,
  type DialogState,
  type Pillar,
  type ProposalDraft,
  type ProposalFields,
  type ProposalStep,
  type Reply,
} from '../types.js';
import * as validate from './validators.js';
import type { Reason, Validation } from './validators.js';

export type ProposalState = Extract<DialogState, { form: 'proposal' }>;

/** The commitment's fields, as numbered in the summary. */
export const FIELD_STEPS = ['title', 'problem', 'description', 'actors', 'components', 'institution', 'pillars', 'territory'] as const;
export type FieldStep = (typeof FIELD_STEPS)[number];
type ContactStep = 'name' | 'organization' | 'email';

/** Steps whose answer is free text (not a choice, a yes/no or a summary command). */
export const FREE_TEXT_STEPS = new Set<ProposalStep>(['title', 'problem', 'description', 'actors', 'components', 'institution', 'territory', 'name', 'organization']);

/** Failed tries on one question before the form explains again and offers help or cancel. */
export const MAX_ATTEMPTS = 3;

/** Minimum letters and digits per free-text field: enough to say something, never a style test. */
const MIN_LENGTH: Record<Exclude<FieldStep, 'pillars' | 'territory'> | ContactStep, number> = {
  title: 5,
  problem: 20,
  description: 20,
  actors: 3,
  components: 10,
  institution: 3,
  name: 2,
  organization: 2,
  email: 0,
};

export type FormOutcome =
  /** Keep going: save `state`, send `replies`. */
  | { kind: 'continue'; state: ProposalState; replies: Reply[] }
  /** The person confirmed: store `proposal`; on failure keep `state` (the summary). */
  | { kind: 'submit'; proposal: ProposalFields & { consent: boolean; contact?: ProposalDraft }; state: ProposalState }
  /** The text is a question: answer it, then send `reask` to resume. */
  | { kind: 'interrupt'; state: ProposalState; reask: Reply }
  /** The person confirmed they want to cancel: nothing is kept. */
  | { kind: 'cancelled' };

export type FormCommand = 'cancel' | 'back' | 'help';
const COMMANDS: Record<string, FormCommand> = {
  cancelar: 'cancel', cancela: 'cancel', cancel: 'cancel', salir: 'cancel', anular: 'cancel', 'cancelar propuesta': 'cancel',
  atras: 'back', volver: 'back', anterior: 'back', 'volver atras': 'back', 'ir atras': 'back',
  ayuda: 'help', help: 'help', 'necesito ayuda': 'help',
};
const SKIP = new Set(['omitir', 'saltar', 'no', 'paso', 'ninguno', 'ninguna', 'no tengo', 'sin', 'siguiente', 'skip']);
const CONFIRM = new Set(['confirmar', 'confirmo', 'si', 'enviar', 'enviala', 'si enviar', 'si confirmo', 'ok', 'dale', 'listo', 'esta bien']);
const EDIT = /^(editar|cambiar|corregir|modificar)\b ?(.*)$/;
/** "Done picking pillars" (the "Listo" option, and how people write it). */
const PILLARS_DONE = /^(listo|lista|listos|ya|ya esta|eso|eso es todo|eso seria|nada mas|ninguno mas|terminar|termine|fin|siguiente|continuar|seguir|ok|dale)$/;
/** Answers that would be lost above this many, "cancelar" asks first. */
const CANCEL_WITHOUT_ASKING = 2;

export const say = (content: Content, key: keyof Content['messages']['messages'], slots: Record<string, string | number> = {}) =>
  fillSlots(content.messages.messages[key], slots);

/** The form command a message is, if it is one ("cancelar", "atrás", "ayuda"); expects normalised text. */
export function formCommand(folded: string): FormCommand | undefined {
  return COMMANDS[folded];
}

/** Starts the form at its first question. */
export function startProposal(content: Content, now: Date): { state: ProposalState; replies: Reply[] } {
  const state: ProposalState = { v: 1, form: 'proposal', id: randomUUID(), step: 'title', draft: {}, trail: [], attempts: 0, editing: false, updatedAt: now.toISOString() };
  const first = ask(content, state);
  return { state, replies: [{ text: `${content.messages.messages.start_intro}\n\n${first.text}`, ...optionsOf(first) }] };
}

/**
 * One answer to the form. `isQuestion` tells whether the text is a knowledge question the
 * engine can answer instead (decided by the engine, which owns understanding).
 */
export function continueProposal(content: Content, state: ProposalState, text: string, isQuestion: boolean, now: Date): FormOutcome {
  const at = now.toISOString();
  const folded = normalize(text);
  if (state.confirmingCancel) {
    // The answer to "¿seguro que quieres cancelar?"; anything else than yes or no is read as usual.
    const sure = validate.yesNo(text);
    if (sure.ok && sure.value) return { kind: 'cancelled' };
    state = { ...state, confirmingCancel: false };
    if (sure.ok) return continueWith({ ...state, updatedAt: at }, [withPrefix(say(content, 'cancel_kept'), pending(content, state))]);
  }
  const command = formCommand(folded);
  if (command === 'back') return back(content, state, at);
  if (command === 'help') {
    return continueWith({ ...state, updatedAt: at }, [helpReply(content, state)]);
  }
  if (isQuestion) return { kind: 'interrupt', state: { ...state, updatedAt: at }, reask: pending(content, state) };

  if (state.step === 'summary') return summaryAnswer(content, state, folded, at);
  if (state.step === 'pillars') {
    const picked = pickPillars(content, state, text, folded, at);
    if (picked) return picked;
  }
  // A "sí" is never a name or an organisation: it answers the consent question, already answered.
  if ((state.step === 'name' || state.step === 'organization') && isYes(text)) {
    const question = ask(content, state);
    const reply = state.step === 'name' ? withPrefix(say(content, 'contact_yes'), question) : { ...question, text: say(content, 'organization_which') };
    return continueWith({ ...state, updatedAt: at }, [reply]);
  }

  const result = validateStep(content, state.step, text, folded);
  if (!result.ok) return failed(content, state, result.reason, at, result.suggestions);
  const draft = { ...state.draft, ...result.value };
  return continueWith(...advance(content, { ...state, draft, attempts: 0, updatedAt: at }));
}

function validateStep(content: Content, step: Exclude<ProposalStep, 'summary'>, text: string, folded: string): Validation<ProposalDraft> {
  const wrap = <T>(v: Validation<T>, build: (value: T) => ProposalDraft): Validation<ProposalDraft> => (v.ok ? { ok: true, value: build(v.value) } : v);
  switch (step) {
    case 'pillars':
      return wrap(validate.pillars(text), (pillars) => ({ pillars }));
    case 'territory':
      return wrap(validate.territory(text, content.places), (territory) => ({ territory }));
    case 'consent':
      return wrap(validate.yesNo(text), (consent) => (consent ? { consent } : { consent, name: undefined, organization: undefined, email: undefined }));
    case 'name':
    case 'organization':
      if (SKIP.has(folded)) return { ok: true, value: { [step]: undefined } };
      return wrap(validate.freeText(text, MIN_LENGTH[step]), (value) => ({ [step]: value }));
    case 'email':
      if (SKIP.has(folded)) return { ok: true, value: { email: undefined } };
      return wrap(validate.email(text), (email) => ({ email }));
    default:
      return wrap(validate.freeText(text, MIN_LENGTH[step]), (value) => ({ [step]: value }));
  }
}

/** The step after a valid answer: the next in order, or back to the summary when editing. */
function advance(content: Content, state: ProposalState, before?: string): [ProposalState, Reply[]] {
  const next = nextStep(state);
  const moved: ProposalState = { ...state, step: next, trail: [...state.trail, state.step], editing: next === 'summary' ? false : state.editing };
  const question = ask(content, moved);
  return [moved, [before ? withPrefix(before, question) : question]];
}

function isYes(text: string): boolean {
  const answer = validate.yesNo(text);
  return answer.ok && answer.value;
}

export const pillarLabels = (content: Content, pillars: readonly Pillar[]) => pillars.map((p) => content.messages.pillar_labels[p]).join(', ');

/**
 * The pillars step: several pillars in one message ("1 y 3", "transparencia y participación")
 * are taken at once and the form goes on, saying what it understood; one pillar (a tapped
 * button) is added to the choice, or taken out if already chosen, until "Listo". Undefined when
 * the text names no pillar (the validator then gives the reason).
 */
function pickPillars(content: Content, state: ProposalState, text: string, folded: string, at: string): FormOutcome | undefined {
  const chosen = state.draft.pillars ?? [];
  if (PILLARS_DONE.test(folded)) {
    if (!chosen.length) return failed(content, state, 'unknown_pillar', at);
    return continueWith(...advance(content, { ...state, attempts: 0, updatedAt: at }, say(content, 'pillars_noted', { pillars: pillarLabels(content, chosen) })));
  }
  const result = validate.pillars(text);
  if (!result.ok) return undefined;
  if (result.value.length > 1 || /\blisto\b/.test(folded)) {
    const pillars = result.value.length > 1 ? result.value : PILLARS.filter((p) => chosen.includes(p) || result.value.includes(p));
    const draft = { ...state.draft, pillars };
    return continueWith(...advance(content, { ...state, draft, attempts: 0, updatedAt: at }, say(content, 'pillars_noted', { pillars: pillarLabels(content, pillars) })));
  }
  const pillar = result.value[0]!;
  const pillars = chosen.includes(pillar) ? chosen.filter((p) => p !== pillar) : PILLARS.filter((p) => chosen.includes(p) || p === pillar);
  const { pillars: _previous, ...rest } = state.draft;
  const moved: ProposalState = { ...state, draft: pillars.length ? { ...rest, pillars } : rest, attempts: 0, updatedAt: at };
  if (!pillars.length) return continueWith(moved, [withPrefix(say(content, 'pillars_empty'), ask(content, moved))]);
  return continueWith(moved, [{ text: `${counter('pillars')} ${say(content, 'pillars_picked', { pillars: pillarLabels(content, pillars) })}`, options: pillarOptions(content, moved) }]);
}

/** The five pillars in their numbered order (a number typed on WhatsApp picks the same one), and "Listo" once one is chosen. */
function pillarOptions(content: Content, state: ProposalState): string[] {
  const labels = PILLARS.map((p) => content.messages.pillar_labels[p]).filter((l) => l.length <= 20);
  return state.draft.pillars?.length ? [...labels, content.messages.options.done] : labels;
}

/** "**(3/8)**": where a field is in the form. */
export function counter(step: FieldStep): string {
  return `**(${FIELD_STEPS.indexOf(step) + 1}/${FIELD_STEPS.length})**`;
}

export const isFieldStep = (step: ProposalStep): step is FieldStep => (FIELD_STEPS as readonly string[]).includes(step);

function nextStep(state: ProposalState): ProposalStep {
  const { step, draft, editing } = state;
  if (step === 'consent') return draft.consent ? 'name' : 'summary';
  if (step === 'name') return 'organization';
  if (step === 'organization') return 'email';
  if (step === 'email') return 'summary';
  if (editing) return 'summary';
  return step === 'territory' ? 'consent' : FIELD_STEPS[FIELD_STEPS.indexOf(step as FieldStep) + 1]!;
}

function back(content: Content, state: ProposalState, at: string): FormOutcome {
  if (state.editing) {
    const summary: ProposalState = { ...state, step: 'summary', editing: false, choosingField: false, attempts: 0, updatedAt: at };
    return continueWith(summary, [ask(content, summary)]);
  }
  if (state.choosingField) {
    const summary: ProposalState = { ...state, choosingField: false, attempts: 0, updatedAt: at };
    return continueWith(summary, [ask(content, summary)]);
  }
  const previous = state.trail.at(-1);
  if (!previous) return continueWith({ ...state, updatedAt: at }, [withPrefix(content.messages.messages.back_at_start, ask(content, state))]);
  const moved: ProposalState = { ...state, step: previous, trail: state.trail.slice(0, -1), attempts: 0, updatedAt: at };
  return continueWith(moved, [ask(content, moved)]);
}

function failed(content: Content, state: ProposalState, reason: Reason, at: string, suggestions: string[] = []): FormOutcome {
  const attempts = state.attempts + 1;
  const m = content.messages;
  if (attempts >= MAX_ATTEMPTS) {
    // The last reason first: the explanation must never hide what was wrong (a length limit).
    const choices = state.step === 'pillars' || state.step === 'consent' ? (ask(content, state).options ?? []) : [];
    const reply: Reply = {
      text: `${validate.reasonText(content.form.reasons, { reason, suggestions })}\n\n${m.messages.too_many_attempts}\n\n${explain(content, state)}`,
      options: [...suggestions, ...choices, m.options.help, m.options.cancel],
    };
    return continueWith({ ...state, attempts: 0, updatedAt: at }, [reply]);
  }
  const question = ask(content, state);
  // What the person probably meant comes first among the options, to pick with one tap.
  const options = [...suggestions, ...(question.options ?? [])];
  return continueWith({ ...state, attempts, updatedAt: at }, [withPrefix(validate.reasonText(content.form.reasons, { reason, suggestions }), { ...question, options })]);
}

function summaryAnswer(content: Content, state: ProposalState, folded: string, at: string): FormOutcome {
  const m = content.messages;
  if (state.choosingField) return editField(content, state, folded, at);
  if (CONFIRM.has(folded)) {
    const d = state.draft;
    const proposal = {
      title: d.title!, problem: d.problem!, description: d.description!, actors: d.actors!, components: d.components!,
      institution: d.institution!, pillars: d.pillars!, territory: d.territory!, consent: d.consent === true,
      ...(d.consent ? { contact: { name: d.name, organization: d.organization, email: d.email } } : {}),
    };
    return { kind: 'submit', proposal, state: { ...state, updatedAt: at } };
  }
  const edit = EDIT.exec(folded);
  if (edit) {
    if (edit[2]) return editField(content, state, edit[2], at);
    const choosing: ProposalState = { ...state, choosingField: true, updatedAt: at };
    return continueWith(choosing, [{ text: m.messages.edit_which, options: editOptions(content) }]);
  }
  // Not the whole summary again: the three choices.
  return continueWith({ ...state, updatedAt: at }, [pending(content, state)]);
}

/** Editable entries of the summary: the eight fields, then the contact details. */
function editOptions(content: Content): string[] {
  return [...FIELD_STEPS.map((s) => content.form.fields[s].label), content.form.fields.name.label];
}

function editField(content: Content, state: ProposalState, answer: string, at: string): FormOutcome {
  const labels = editOptions(content).map((l) => normalize(l));
  const n = Number(answer);
  let index = Number.isInteger(n) && n >= 1 && n <= labels.length ? n - 1 : labels.indexOf(answer);
  if (index < 0) index = labels.findIndex((l) => l.startsWith(answer) && answer.length >= 3);
  if (index < 0) {
    return continueWith({ ...state, choosingField: true, updatedAt: at }, [{ text: content.messages.messages.edit_unknown, options: editOptions(content) }]);
  }
  const step: ProposalStep = index < FIELD_STEPS.length ? FIELD_STEPS[index]! : 'consent';
  const editing: ProposalState = { ...state, step, editing: true, choosingField: false, attempts: 0, updatedAt: at };
  return continueWith(editing, [ask(content, editing)]);
}

/** The question for the current step, with its worked example and the options that fit it. */
export function ask(content: Content, state: ProposalState): Reply {
  const { form, messages: m } = content;
  const step = state.step;
  switch (step) {
    case 'consent':
      return { text: m.messages.consent_question, options: [m.options.yes, m.options.no] };
    case 'summary':
      return {
        text: `${m.messages.summary_intro}\n\n${summaryText(content, state.draft)}\n\n${m.messages.summary_question}`,
        options: [m.options.confirm, m.options.edit, m.options.cancel],
      };
    case 'name':
    case 'organization':
    case 'email':
      return { text: `${form.fields[step].question}\n\n**Ejemplo:** ${form.fields[step].example}`, options: [m.options.skip, m.options.cancel] };
    default: {
      const options = step === 'pillars' ? pillarOptions(content, state) : [m.options.back, m.options.cancel];
      if (step === 'territory') options.unshift(content.territories.national[0]!);
      const chosen = step === 'pillars' && state.draft.pillars?.length ? `\n\n${say(content, 'pillars_picked', { pillars: pillarLabels(content, state.draft.pillars) })}` : '';
      return { text: `${counter(step)} ${form.fields[step].question}\n\n**Ejemplo:** ${form.fields[step].example}${chosen}`, options };
    }
  }
}

/** The pending question asked again after something else: at the summary, its three choices only. */
export function pending(content: Content, state: ProposalState): Reply {
  if (state.step !== 'summary') return ask(content, state);
  if (state.choosingField) return { text: content.messages.messages.edit_which, options: editOptions(content) };
  const o = content.messages.options;
  return { text: say(content, 'summary_choices'), options: [o.confirm, o.edit, o.cancel] };
}

/** The current question explained: step counter, what it expects, the question and its example. */
function explain(content: Content, state: ProposalState): string {
  const step = state.step;
  if (step === 'summary' || step === 'consent') return ask(content, state).text;
  const field = content.form.fields[step];
  const where = isFieldStep(step) ? `${counter(step)} ` : '';
  return `${where}${field.question}${field.help ? `\n\n${field.help}` : ''}\n\n**Ejemplo:** ${field.example}`;
}

/** How many answers cancelling would lose. */
function answered(draft: ProposalDraft): number {
  const fields = FIELD_STEPS.filter((s) => (s === 'pillars' ? draft.pillars?.length : draft[s] !== undefined)).length;
  return fields + [draft.name, draft.organization, draft.email].filter((v) => v !== undefined).length;
}

/**
 * "cancelar": while changing one field from the summary, back to the summary with nothing
 * changed; otherwise the whole proposal, after a confirmation when more than two answers would
 * be lost.
 */
export function cancelProposal(content: Content, state: ProposalState, now: Date): FormOutcome {
  const at = now.toISOString();
  if (state.editing || state.choosingField) {
    const summary: ProposalState = { ...state, step: 'summary', editing: false, choosingField: false, confirmingCancel: false, attempts: 0, updatedAt: at };
    const question = ask(content, summary);
    if (!state.editing || state.step === 'summary') return continueWith(summary, [question]);
    const field = content.form.fields[state.step === 'consent' ? 'name' : state.step].label;
    return continueWith(summary, [withPrefix(say(content, 'edit_cancelled', { field }), question)]);
  }
  const count = answered(state.draft);
  if (state.confirmingCancel || count <= CANCEL_WITHOUT_ASKING) return { kind: 'cancelled' };
  const o = content.messages.options;
  return continueWith({ ...state, confirmingCancel: true, updatedAt: at }, [{ text: say(content, 'cancel_confirm', { count }), options: [o.yes, o.no] }]);
}

function helpReply(content: Content, state: ProposalState): Reply {
  const m = content.messages;
  const current = explain(content, state);
  return { text: `${m.messages.dialog_help}\n\n${current}`, options: [m.options.back, m.options.cancel] };
}

/** The proposal as the person will see it before confirming. */
export function summaryText(content: Content, draft: ProposalDraft): string {
  const f = content.form.fields;
  const pillars = (draft.pillars ?? []).map((p: Pillar) => content.messages.pillar_labels[p]).join(', ');
  const lines = [
    ...FIELD_STEPS.map((s, i) => `${i + 1}. **${f[s].label}:** ${s === 'pillars' ? pillars : literal(draft[s] ?? '')}`),
  ];
  const contact = [draft.name, draft.organization, draft.email].filter(Boolean).join(', ');
  lines.push(`9. **${f.name.label}:** ${draft.consent && contact ? literal(contact) : content.messages.messages.contact_anonymous}`);
  return lines.join('\n');
}

function withPrefix(prefix: string, reply: Reply): Reply {
  return { ...reply, text: `${prefix}\n\n${reply.text}` };
}

function optionsOf(reply: Reply): Pick<Reply, 'options'> {
  return reply.options ? { options: reply.options } : {};
}

function continueWith(state: ProposalState, replies: Reply[]): FormOutcome {
  return { kind: 'continue', state, replies };
}
