/**
 * The public consultation of the draft plan, in chat: the commitments one at a time, a vote
 * (agree, disagree, pass: pol.is semantics) and an optional comment on each, then the one the
 * person finds most important. Every vote and comment is stored as it is given, so a person
 * can stop anywhere and resume later at the first commitment they have not answered.
 */
import type { Content } from '../content/load.js';
import type { Commitment, DraftPlan } from '../content/schema.js';
import { say } from '../answers/render.js';
import { formatDate, localDate } from '../answers/timeline.js';
import { normalize } from '../nlu/normalize.js';
import { literal } from '../text/markdown.js';
import type { DialogState, Opinion, Priority, Reply, Vote } from '../types.js';
import type { Flow, FlowContext, Step } from './flow.js';
import { formCommand } from './proposal.js';
import { freeText } from './validators.js';

export type DraftState = Extract<DialogState, { form: 'draft' }>;

/** Unclear answers in a row before the flow lets the text go to the rest of the bot. */
const MAX_ATTEMPTS = 3;
/** A comment needs this many letters or digits to be one. */
const MIN_COMMENT = 3;

export const draftFlow: Flow<DraftState> = {
  name: 'draft',
  version: 1,

  async start(ctx) {
    const closed = gate(ctx);
    if (closed) return { kind: 'done', replies: [closed] };
    const plan = ctx.content.draftPlan!;
    const answered = (await ctx.store.opinionsOf(ctx.userKey)).length;
    const intro = answered ? say(ctx.content, 'draft_resume') : say(ctx.content, 'draft_intro', { plan: plan.name, count: plan.commitments.length, end: stageEnd(ctx.content) });
    return advance(ctx, intro);
  },

  async next(ctx, state, text) {
    const closed = gate(ctx);
    if (closed) return { kind: 'done', replies: [closed] };
    const { content: c, store, userKey, channel, now } = ctx;
    const plan = c.draftPlan!;
    const folded = normalize(text);
    const at = now.toISOString();

    if (MY_OPINIONS.has(folded)) {
      return { kind: 'continue', state: { ...state, updatedAt: at }, replies: [myOpinionsReply(c, await store.opinionsOf(userKey), await store.priorityOf(userKey)), reask(c, state)] };
    }
    // Coming back ("hola", "seguir") is never an answer: show where the person is.
    if (COMING_BACK.test(folded)) {
      const question = reask(c, state);
      return { kind: 'continue', state: { ...state, updatedAt: at }, replies: [{ ...question, text: `${say(c, 'draft_resume')}\n\n${question.text}` }] };
    }
    // "compromiso 3", "C3" or a title jumps to that commitment from anywhere in the flow.
    const jump = state.step !== 'priority' ? commitmentNamed(plan, text, false) : undefined;
    if (jump === 'unknown') {
      return { kind: 'continue', state: { ...state, updatedAt: at }, replies: [{ text: say(c, 'draft_unknown_commitment', { count: plan.commitments.length }) }, reask(c, state)] };
    }
    if (jump) return show(ctx, jump, []);
    if (formCommand(folded) === 'help') return { kind: 'continue', state: { ...state, updatedAt: at }, replies: [unclear(c, state)] };

    switch (state.step) {
      case 'vote': {
        const commitment = byId(plan, state.commitment);
        if (!commitment) return advance(ctx);
        if (MORE.test(folded)) {
          return { kind: 'continue', state: { ...state, updatedAt: at }, replies: [{ text: moreText(c, commitment) }, voteQuestion(c)] };
        }
        const vote = parseVote(text);
        if (!vote) return retry(ctx, state, text);
        const { replaced } = await store.vote(userKey, commitment.id, vote, now);
        const prefix = replaced ? `${say(c, 'draft_replaced')}\n\n` : '';
        return {
          kind: 'continue',
          state: { ...state, step: 'comment', attempts: 0, updatedAt: at },
          replies: [{ text: `${prefix}${say(c, 'draft_comment_question')}`, options: [c.messages.options.no] }],
        };
      }
      case 'comment': {
        const commitment = byId(plan, state.commitment);
        if (!commitment || NO_COMMENT.has(folded)) return advance(ctx);
        // Anything else is the comment, questions included ("¿quién lo fiscaliza?" is one).
        const comment = freeText(text, MIN_COMMENT);
        if (!comment.ok) {
          const attempts = state.attempts + 1;
          return {
            kind: 'continue',
            state: { ...state, attempts, updatedAt: at },
            replies: [{ text: `${c.form.reasons[comment.reason]}\n\n${say(c, 'draft_comment_question')}`, options: [c.messages.options.no] }],
          };
        }
        await store.comment(userKey, channel, commitment.id, comment.value, now);
        return advance(ctx, say(c, 'draft_comment_saved'));
      }
      case 'priority': {
        const chosen = commitmentNamed(plan, text, true);
        if (!chosen || chosen === 'unknown') return retry(ctx, state, text);
        await store.setPriority(userKey, chosen.id, now);
        return { kind: 'done', replies: [await doneReply(ctx)] };
      }
    }
  },

  reask: (c, state) => reask(c, state),

  cancelled: (c) => ({ text: say(c, 'draft_cancelled'), options: [c.messages.options.draft] }),

  expectsFreeText: (state) => state.step === 'comment',

  welcomeBack: (c, state) => {
    const question = reask(c, state);
    return { ...question, text: `${say(c, 'draft_resume')}\n\n${question.text}` };
  },

  fieldHelp: (c, state) => unclear(c, state),

  resumeText: (c) => say(c, 'draft_resume'),
};

/** Why the draft cannot be given an opinion today, or undefined when it can. */
function gate({ content: c, now }: FlowContext): Reply | undefined {
  const stage = c.consultation.stages.find((s) => s.id === 'draft_consultation');
  if (!c.draftPlan || !stage) return { text: say(c, 'draft_no_plan') };
  const today = localDate(now, c.consultation.timezone);
  if (today < stage.start) return { text: say(c, 'draft_not_open', { start: formatDate(stage.start), end: formatDate(stage.end) }), options: [c.messages.options.timeline] };
  if (today > stage.end) return { text: say(c, 'draft_closed', { end: formatDate(stage.end) }), options: [c.messages.options.results, c.messages.options.my_opinions] };
  return undefined;
}

function stageEnd(c: Content): string {
  return formatDate(c.consultation.stages.find((s) => s.id === 'draft_consultation')!.end);
}

/** The first commitment the person has not answered, or the closing question, or the end. */
async function advance(ctx: FlowContext, before?: string): Promise<Step<DraftState>> {
  const { content: c, store, userKey, now } = ctx;
  const plan = c.draftPlan!;
  const done = new Set((await store.opinionsOf(userKey)).map((o) => o.commitmentId));
  const next = plan.commitments.find((k) => !done.has(k.id));
  const prefix = before ? [before] : [];
  if (next) return show(ctx, next, prefix);
  if (!(await store.priorityOf(userKey))) {
    const state: DraftState = { v: 1, form: 'draft', step: 'priority', attempts: 0, updatedAt: now.toISOString() };
    const question = reask(c, state);
    return { kind: 'continue', state, replies: [{ ...question, text: [...prefix, question.text].join('\n\n') }] };
  }
  return { kind: 'done', replies: [{ text: [...prefix, say(c, 'draft_all_done')].join('\n\n'), options: [c.messages.options.my_opinions] }] };
}

function show(ctx: FlowContext, commitment: Commitment, before: string[]): Step<DraftState> {
  const { content: c, now } = ctx;
  const state: DraftState = { v: 1, form: 'draft', commitment: commitment.id, step: 'vote', attempts: 0, updatedAt: now.toISOString() };
  const question = voteQuestion(c);
  return { kind: 'continue', state, replies: [{ ...question, text: [...before, commitmentText(c, commitment), question.text].join('\n\n') }] };
}

function retry(ctx: FlowContext, state: DraftState, text: string): Step<DraftState> {
  if (ctx.isQuestion(text)) return { kind: 'interrupt', state: { ...state, updatedAt: ctx.now.toISOString() }, reask: reask(ctx.content, state) };
  const attempts = state.attempts + 1;
  // Several unclear answers in a row: the person has moved on; what they wrote goes to the bot.
  if (attempts >= MAX_ATTEMPTS) return { kind: 'leave' };
  return { kind: 'continue', state: { ...state, attempts, updatedAt: ctx.now.toISOString() }, replies: [unclear(ctx.content, state)] };
}

function commitmentText(c: Content, k: Commitment): string {
  const plan = c.draftPlan!;
  return say(c, 'draft_commitment', {
    n: plan.commitments.indexOf(k) + 1,
    count: plan.commitments.length,
    title: k.title,
    problem: k.problem,
    what: k.what,
    institution: k.institution,
  });
}

function moreText(c: Content, k: Commitment): string {
  const milestones = k.milestones.map((m) => `- ${m.text} (${formatDate(m.date)})`).join('\n') || '-';
  return say(c, 'draft_more', { milestones, actors: k.actors, territory: k.territory });
}

function voteQuestion(c: Content): Reply {
  const o = c.messages.options;
  // Three options: WhatsApp shows up to three as buttons; "ver más" is offered in the text.
  return { text: say(c, 'draft_vote_question'), options: [o.agree, o.disagree, o.pass] };
}

function reask(c: Content, state: DraftState): Reply {
  const plan = c.draftPlan!;
  if (state.step === 'priority') {
    const list = plan.commitments.map((k, i) => `${i + 1}. ${k.title}`).join('\n');
    return { text: say(c, 'draft_priority_question', { list }), options: plan.commitments.map((k, i) => label(`${i + 1}. ${k.title}`)) };
  }
  if (state.step === 'comment') return { text: say(c, 'draft_comment_question'), options: [c.messages.options.no] };
  const k = byId(plan, state.commitment);
  const question = voteQuestion(c);
  return k ? { ...question, text: `${commitmentText(c, k)}\n\n${question.text}` } : question;
}

function unclear(c: Content, state: DraftState): Reply {
  const plan = c.draftPlan!;
  if (state.step === 'priority') {
    const question = reask(c, state);
    return { ...question, text: `${say(c, 'draft_priority_unclear', { count: plan.commitments.length })}\n\n${question.text}` };
  }
  if (state.step === 'comment') return reask(c, state);
  return { ...voteQuestion(c), text: say(c, 'draft_vote_unclear') };
}

/** An option label within the channels' 20 characters: "3. Presupuesto muni…". */
function label(text: string): string {
  return text.length <= 20 ? text : `${text.slice(0, 19).trimEnd()}…`;
}

function byId(plan: DraftPlan, id: string | undefined): Commitment | undefined {
  return plan.commitments.find((k) => k.id === id);
}

/**
 * The commitment a text names: "C3", "compromiso 3", a title (or a clear part of one); with
 * `bareNumber`, also "3" or a tapped "3. Presupuesto muni…". 'unknown' when it names a
 * commitment number the plan does not have.
 */
export function commitmentNamed(plan: DraftPlan, text: string, bareNumber: boolean): Commitment | 'unknown' | undefined {
  const byNumber = (bareNumber ? /^\s*(?:compromiso\s*|c\s*|n[°º]?\s*)?(\d{1,3})\b/i : /^\s*(?:el\s+)?(?:compromiso\s*(?:n[°º.]?\s*)?|c)(\d{1,3})\s*$/i).exec(text);
  if (byNumber) {
    const n = Number(byNumber[1]);
    return plan.commitments.find((k) => k.id === `C${n}`) ?? plan.commitments[n - 1] ?? 'unknown';
  }
  const folded = normalize(text);
  if (folded.length < 5) return undefined;
  const exact = plan.commitments.find((k) => normalize(k.title) === folded);
  if (exact) return exact;
  const partial = plan.commitments.filter((k) => normalize(k.title).includes(folded));
  return partial.length === 1 ? partial[0] : undefined;
}

/** "mis opiniones" as people write it; the engine answers it outside the flow too. */
export const MY_OPINIONS = new Set(['mis opiniones', 'ver mis opiniones', 'que opine', 'mis votos']);
const COMING_BACK = /^(hola|ola|buenas|buenos dias|buenas tardes|buenas noches|wena|hola de nuevo|volvi|seguir|sigamos|seguir opinando|continuar|en que iba|donde iba|opinar el borrador)$/;
const MORE = /^(ver )?mas( (info|informacion|detalles?))?$|^detalles?$/;
const NO_COMMENT = new Set(['no', 'nop', 'no gracias', 'nada', 'sin comentario', 'sin comentarios', 'ninguno', 'paso', 'omitir', 'no tengo', 'siguiente', 'no po']);

/** A vote as people write it: the option, its number, or a natural variant. */
export function parseVote(text: string): Vote | undefined {
  const number = /^\s*([123])\s*[.)]?\s*$/.exec(text)?.[1];
  if (number) return (['agree', 'disagree', 'pass'] as const)[Number(number) - 1];
  const f = normalize(text);
  // Passing first ("no sé" starts with "no"), then disagreement ("no estoy de acuerdo" contains "de acuerdo").
  if (/^paso\b|^pasar\b|^no se\b|^(prefiero )?no opinar\b|^neutral\b|^saltar\b|^siguiente\b|^omitir\b|^me da igual\b/.test(f)) return 'pass';
  if (/^(en )?desacuerdo\b|\bno (estoy )?de acuerdo\b|^no\b|\ben contra\b|\bno me (parece|gusta)\b|\brechazo\b/.test(f)) return 'disagree';
  if (/\bde acuerdo\b|^si\b|^ok\b|^dale\b|^apoyo\b|\ba favor\b|\bme (parece|gusta)\b|^bien\b|^excelente\b|^buenisimo\b/.test(f)) return 'agree';
  return undefined;
}

/** A person's opinions, in their own words. */
export function myOpinionsReply(c: Content, opinions: Opinion[], priority: Priority | undefined): Reply {
  if (!opinions.length) return { text: say(c, 'my_opinions_none'), options: [c.messages.options.draft] };
  return { text: `${say(c, 'my_opinions_intro', { count: opinions.length })}\n${opinionLines(c, opinions, priority)}` };
}

export function opinionLines(c: Content, opinions: Opinion[], priority: Priority | undefined): string {
  const plan = c.draftPlan;
  const title = (id: string) => plan?.commitments.find((k) => k.id === id)?.title ?? id;
  const lines = opinions.map((o) => `- **${o.commitmentId} ${title(o.commitmentId)}**: ${c.messages.vote_labels[o.vote]}${o.comment ? `. «${literal(o.comment)}»` : ''}`);
  if (priority) lines.push(`- **Más importante:** ${priority.commitmentId} ${title(priority.commitmentId)}`);
  return lines.join('\n');
}

async function doneReply({ content: c, store, userKey }: FlowContext): Promise<Reply> {
  const publication = c.consultation.stages.find((s) => s.id === 'plan_publication');
  return {
    text: say(c, 'draft_done', {
      summary: opinionLines(c, await store.opinionsOf(userKey), await store.priorityOf(userKey)),
      publication: publication ? formatDate(publication.start) : stageEnd(c),
    }),
    options: [c.messages.options.my_opinions],
  };
}
