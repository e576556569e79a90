/**
 * Work-table sign-up: pick a table, accept the privacy notice, give a name and one way to be
 * reached (email, or a phone number valid in Chile or abroad), and get a place or a place in
 * line with a short code. Nothing is stored before the last answer, and only with consent.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { Content } from '../content/load.js';
import { say } from '../answers/render.js';
import { findTable, openTables, tableDetails, tableLine } from '../answers/tables.js';
import { formatDate, localDate } from '../answers/timeline.js';
import { cleanText, normalize } from '../nlu/normalize.js';
import { literal } from '../text/markdown.js';
import type { DialogState, Reply, SignUp } from '../types.js';
import type { Flow, FlowContext, Step } from './flow.js';
import { formCommand } from './proposal.js';
import { freeText, yesNo } from './validators.js';

export type SignUpState = Extract<DialogState, { form: 'signup' }>;

/** Tables shown per page (a WhatsApp list holds ten rows). */
const PAGE = 8;
const MAX_ATTEMPTS = 3;
const MAX_NAME = 100;
const MORE = /^(mas|mas mesas|ver mas|otras|siguientes)$/;

export const signUpFlow: Flow<SignUpState> = {
  name: 'signup',
  version: 1,

  async start(ctx) {
    const c = ctx.content;
    if (!c.workTables.length) return { kind: 'done', replies: [{ text: say(c, 'tables_none') }] };
    if (!openTables(c, ctx.now).length) return { kind: 'done', replies: [{ text: say(c, 'tables_closed') }] };
    const state: SignUpState = { v: 1, form: 'signup', step: 'table', offset: 0, attempts: 0, updatedAt: ctx.now.toISOString() };
    return { kind: 'continue', state, replies: [await listReply(ctx, state)] };
  },

  async next(ctx, state, text) {
    const { content: c, now } = ctx;
    const at = now.toISOString();
    const folded = normalize(text);
    if (formCommand(folded) === 'help' || ((state.step === 'table' || state.step === 'consent') && ctx.isQuestion(text))) {
      return formCommand(folded) === 'help'
        ? { kind: 'continue', state: { ...state, updatedAt: at }, replies: [await reask(ctx, state)] }
        : { kind: 'interrupt', state: { ...state, updatedAt: at }, reask: await reask(ctx, state) };
    }
    switch (state.step) {
      case 'table': {
        if (MORE.test(folded)) {
          const offset = state.offset + PAGE < openTables(c, now).length ? state.offset + PAGE : 0;
          const next = { ...state, offset, updatedAt: at };
          return { kind: 'continue', state: next, replies: [await listReply(ctx, next)] };
        }
        const found = findTable(c, text);
        if (!found) return retry(ctx, state, say(c, 'tables_pick_unclear'));
        if (!found.table) return retry(ctx, state, say(c, 'tables_unknown', { id: found.id, count: c.workTables.length }));
        const today = localDate(now, c.consultation.timezone);
        if (found.table.signup_deadline < today) return { kind: 'done', replies: [{ text: say(c, 'tables_deadline_passed', { id: found.table.id, deadline: formatDate(found.table.signup_deadline) }) }] };
        const mine = (await ctx.store.signUpsOf(ctx.userKey)).find((x) => x.tableId === found.table!.id);
        if (mine) return { kind: 'done', replies: [{ text: say(c, 'signup_already', { table: tableName(c, mine.tableId), code: mine.code, status: statusLabel(mine) }) }] };
        const next: SignUpState = { ...state, step: 'consent', tableId: found.table.id, attempts: 0, updatedAt: at };
        return { kind: 'continue', state: next, replies: [await reask(ctx, next)] };
      }
      case 'consent': {
        const answer = yesNo(text);
        if (!answer.ok) return retry(ctx, state, c.form.reasons.yes_or_no);
        if (!answer.value) return { kind: 'done', replies: [{ text: say(c, 'signup_consent_refused') }] };
        const next: SignUpState = { ...state, step: 'name', attempts: 0, updatedAt: at };
        return { kind: 'continue', state: next, replies: [await reask(ctx, next)] };
      }
      case 'name': {
        const name = freeText(text, 2);
        if (!name.ok) return retry(ctx, state, c.form.reasons[name.reason]);
        if (name.value.length > MAX_NAME) return retry(ctx, state, c.form.reasons.too_long);
        const next: SignUpState = { ...state, step: 'contact', name: name.value, attempts: 0, updatedAt: at };
        return { kind: 'continue', state: next, replies: [await reask(ctx, next)] };
      }
      case 'contact': {
        const contact = parseContact(text);
        if (!contact) return retry(ctx, state, say(c, 'signup_contact_invalid'));
        return finish(ctx, state, contact);
      }
    }
  },

  reask: (content, state) => pendingQuestion(content, state),

  cancelled: (c) => ({ text: say(c, 'signup_cancelled_flow') }),

  expectsFreeText: (state) => state.step === 'name',

  welcomeBack: (content, state) => {
    const question = pendingQuestion(content, state);
    return { ...question, text: `${say(content, 'signup_welcome_back')}\n\n${question.text}` };
  },

  resumeText: (content) => say(content, 'signup_resume'),
};

/** The pending question, without the table list's places (which need the store). */
function pendingQuestion(c: Content, state: SignUpState): Reply {
  const o = c.messages.options;
  switch (state.step) {
    case 'table':
      return { text: say(c, 'tables_pick_unclear'), options: [o.more_tables, o.cancel] };
    case 'consent':
      return { text: say(c, 'signup_privacy', { table: tableName(c, state.tableId ?? '') }), options: [o.yes, o.no] };
    case 'name':
      return { text: say(c, 'signup_name_question'), options: [o.cancel] };
    case 'contact':
      return { text: say(c, 'signup_contact_question'), options: [o.cancel] };
  }
}

async function finish(ctx: FlowContext, state: SignUpState, contact: { email: string } | { phone: string }): Promise<Step<SignUpState>> {
  const c = ctx.content;
  const table = c.workTables.find((t) => t.id === state.tableId);
  if (!table || !state.name) return { kind: 'done', replies: [{ text: say(c, 'tables_pick_unclear') }] };
  const outcome = await ctx.store.signUp({ tableId: table.id, userKey: ctx.userKey, channel: ctx.channel, name: state.name, ...contact }, table.capacity, ctx.now);
  const { signUp } = outcome;
  if (outcome.existing) return { kind: 'done', replies: [{ text: say(c, 'signup_already', { table: tableName(c, table.id), code: signUp.code, status: statusLabel(signUp) }) }] };
  const text =
    signUp.status === 'confirmed'
      ? say(c, 'signup_confirmed', { name: literal(state.name), table: tableName(c, table.id), details: tableDetails(table), code: signUp.code })
      : say(c, 'signup_waitlist', { table: tableName(c, table.id), position: outcome.position ?? 1, code: signUp.code });
  return { kind: 'done', replies: [{ text, options: [c.messages.options.my_signups] }] };
}

async function retry(ctx: FlowContext, state: SignUpState, reason: string): Promise<Step<SignUpState>> {
  const attempts = state.attempts + 1;
  // The person has moved on: what they wrote goes to the rest of the bot.
  if (attempts >= MAX_ATTEMPTS && state.step === 'table') return { kind: 'leave' };
  const next = { ...state, attempts, updatedAt: ctx.now.toISOString() };
  const question = await reask(ctx, next);
  return { kind: 'continue', state: next, replies: [{ ...question, text: `${reason}\n\n${question.text}` }] };
}

/** The pending question; at the table step with the tables and their places, read from the store. */
async function reask(ctx: FlowContext, state: SignUpState): Promise<Reply> {
  return state.step === 'table' ? listReply(ctx, state) : pendingQuestion(ctx.content, state);
}

async function listReply(ctx: FlowContext, state: SignUpState): Promise<Reply> {
  const c = ctx.content;
  const tables = openTables(c, ctx.now);
  const page = tables.slice(state.offset, state.offset + PAGE);
  const text = say(c, 'tables_list', {
    from: state.offset + 1,
    to: state.offset + page.length,
    count: tables.length,
    list: (await Promise.all(page.map((t) => tableLine(t, ctx.store)))).join('\n'),
  });
  const more = tables.length > PAGE ? [c.messages.options.more_tables] : [];
  return { text, options: [...page.map((t) => t.id), ...more] };
}

function tableName(c: Content, id: string): string {
  const t = c.workTables.find((x) => x.id === id);
  return t ? `${t.id} · ${t.theme}` : id;
}

function statusLabel(x: SignUp): string {
  return x.status === 'confirmed' ? 'con cupo' : 'en lista de espera';
}

const emailSchema = z.email();

/** An email, or a phone number in Chile (the default) or abroad, as E.164. */
export function parseContact(input: string): { email: string } | { phone: string } | undefined {
  const text = cleanText(input);
  if (text.includes('@')) return emailSchema.safeParse(text.toLowerCase()).success ? { email: text.toLowerCase() } : undefined;
  const phone = parsePhoneNumberFromString(text, 'CL');
  // "Possible" (the right length for its country), not "valid": the library's number ranges lag
  // behind what operators assign, and refusing a real number would keep a person out.
  return phone?.isPossible() ? { phone: phone.number } : undefined;
}

/** A person's sign-ups with their codes, as "mis inscripciones" and "mis datos" show them. */
export function signUpLines(c: Content, signUps: SignUp[]): string {
  return signUps
    .map((x) => {
      const t = c.workTables.find((t) => t.id === x.tableId);
      return `- **${x.code}** ${tableName(c, x.tableId)}${t ? `, ${formatDate(t.date)} ${t.time} h` : ''}: ${statusLabel(x)}`;
    })
    .join('\n');
}

export function mySignUpsReply(c: Content, signUps: SignUp[]): Reply {
  if (!signUps.length) return { text: say(c, 'my_signups_none') };
  return { text: `${say(c, 'my_signups_intro', { count: signUps.length })}\n${signUpLines(c, signUps)}` };
}
