/**
 * Answers that fit the question. Understanding is two decisions, what the person wants (the
 * intent) and what they ask about (a fact, or the topic as a whole); the reply is composed from
 * them rather than picked from one block per intent:
 * - a precise question gets its fact answer, with "Ver más" leading to the topic's overview;
 * - a short follow-up ("y eso cuándo es?", "dime más") is read in the context of the last answer;
 * - a message with several questions gets up to two answers, in order (greetings and thanks
 *   do not count), and a comparison of two pillars gets both;
 * - when the two best guesses are close, the bot asks "¿Me preguntas por A o por B?".
 * Intents whose answer needs the store or starts a dialog go back to the engine as a match.
 */
import type { Content } from '../content/load.js';
import type { FactAnswer, StageId } from '../content/schema.js';
import { contextLive, contextState, followUpOf, leansBack, type ContextState, type FollowUp } from '../dialog/context.js';
import { FactIndex } from '../nlu/facts.js';
import { normalize } from '../nlu/normalize.js';
import type { Understander } from '../nlu/understand.js';
import { MAX_OPTIONS, type IntentMatch, type IntentName, type Reply } from '../types.js';
import { fillFacts, fillSlots } from './facts.js';
import { resultsReply, staticAnswer, timelineReply, workTablesReply } from './render.js';
import { todayOffer, withTodayOffer } from './stage.js';
import { calendarPosition, formatDate } from './timeline.js';

export type Composed =
  /** The reply is ready; `context` is what to keep for a follow-up. */
  | { kind: 'reply'; intent: IntentName; replies: Reply[]; context?: ContextState }
  /** The engine acts on this intent (a dialog, the store); `context` is kept when the engine answers without a dialog. */
  | { kind: 'intent'; match: IntentMatch; context?: ContextState };

/** Messages that are not questions: in a message with several parts they are not answered. */
const SOCIAL = new Set<IntentName>(['greeting', 'thanks', 'goodbye', 'none']);
/** Topics worth asking "¿A o B?" about: what people ask to know, not commands or small talk. */
const CLARIFIABLE = new Set<IntentName>([
  'open_government', 'pillars', 'pillar.transparency', 'pillar.participation', 'pillar.accountability', 'pillar.innovation',
  'ogp', 'ogp.membership', 'ogp.local', 'action_plan', 'chile.plans', 'commitment', 'commitment.examples', 'forum',
  'participate', 'timeline', 'open_data', 'access_to_information', 'service_request', 'bot.identity', 'privacy',
  'results', 'work_tables', 'human', 'help',
]);
/**
 * Ask instead of guessing when the best intent has less than this probability and the runner-up
 * at least {@link PLAUSIBLE}: both are real readings of the message ("qué hace la mesa": the Mesa
 * de Gobierno Abierto or a work table?). On `test/nlu/heldout.tsv`'s 845 in-scope rows this asks
 * for 31 (threshold chosen by looking at them), and for 14 of those the runner-up was the right
 * reading: a wrong answer avoided.
 */
const CLARIFY_BELOW = 0.7;
const PLAUSIBLE = 0.25;

/** The consultation stage a topic is about, for "¿cuándo?" and "¿y después?". */
const TOPIC_STAGE: Partial<Record<IntentName, StageId>> = {
  'proposal.start': 'reception',
  'proposal.status': 'reception',
  participate: 'reception',
  commitment: 'reception',
  work_tables: 'work_tables',
  results: 'selection',
  draft_plan: 'draft_consultation',
};

/** Pillars by the words that name them, for comparisons. */
const PILLAR_WORDS: [RegExp, IntentName][] = [
  [/\btranspar/, 'pillar.transparency'],
  [/\bparticipa/, 'pillar.participation'],
  [/\brendicion de cuentas|\brendir cuentas|\baccountability/, 'pillar.accountability'],
  [/\binnova|\bcolabora/, 'pillar.innovation'],
];
const COMPARISON = /\b(?:diferencia|diferencias|diferente|distinto|distinta|compara|comparacion|versus|vs|entre)\b/;

/** Where a message with several questions splits: question marks, full stops, "y también", "y cómo…". */
const SENTENCE_BREAK = /([?¿.;!\n]+)/;
const CLAUSE_BREAK = / (?:y )?(?:tambien|ademas|aparte) | y (?=(?:como|cuando|donde|quien|quienes|que|cual|cuales|cuanto|cuantos|cuantas|hasta|desde|por que|para que|puedo|se puede)\b)/;
/** A sentence about the person (normalised), which in a message with several parts is context: "soy dirigenta vecinal", "vivo en Renca". */
const ABOUT_ME = /^(yo )?(soy|somos|estoy|vivo|vivimos|trabajo|trabajamos|estudio|me llamo|mi nombre es|represento|tengo (\d+|una|un)\b)/;

/** The sentences of a text, each with whether a question mark opens ("¿") or ends ("?") it. */
function sentences(text: string): { sentence: string; asked: boolean }[] {
  // Split with its capturing group, the breaks sit between the sentences.
  const pieces = text.split(SENTENCE_BREAK);
  const out: { sentence: string; asked: boolean }[] = [];
  for (let i = 0; i < pieces.length; i += 2) {
    out.push({ sentence: pieces[i]!, asked: (pieces[i - 1] ?? '').includes('¿') || (pieces[i + 1] ?? '').includes('?') });
  }
  return out;
}

/** Intents about Cabildo itself, answered after another question only when it speaks to the bot. */
const ABOUT_THE_BOT = new Set<IntentName>(['bot.identity', 'human']);
const TO_THE_BOT = /\b(?:eres|estas|tu|te|usted|bot|robot|humano|humana|persona|asistente|programa|maquina|cabildo|chat|hablo|hablar)\b/;
/** Words that point at the last answer ("y eso cuándo es?"). */
const REFERS_BACK = /\b(?:eso|esto|ese|esa|esos|esas|ahi|alli)\b/;
/** A reading this probable is another topic, even in a follow-up (the bar a command mid-flow needs). */
const SURE = 0.9;
/** At most this many questions answered from one message. */
const MAX_ANSWERS = 2;

export class Composer {
  private readonly facts: FactIndex;
  /** "¿A o B?" option per intent: the topic's short name, checked to lead back to it. */
  private readonly labels = new Map<IntentName, string>();

  constructor(private readonly content: Content, private readonly nlu: Understander) {
    // Out-of-scope examples are no topic's overview; leaving them out also keeps start-up short.
    const examples = new Map([...content.intents].filter(([name]) => name !== 'none').map(([name, f]) => [name, f.examples]));
    const answers = content.answers.map((answer) => ({ answer, wording: fillFacts(answer.answer, content.facts) }));
    this.facts = new FactIndex(examples, answers, (t, asWritten) => nlu.stems(t, asWritten));
    for (const [intent, label] of Object.entries(content.messages.topics) as [IntentName, string][]) this.labels.set(intent, label);
  }

  /** The reply to a message outside any dialog, given the context of the last answer (if any). */
  compose(text: string, context: ContextState | undefined, now: Date): Composed {
    if (contextLive(context, now)) {
      const picked = this.pick(text, context);
      if (picked) return this.answerIntent(picked, text, now, { intent: picked, confidence: 1, source: 'classifier' });
      // "y Chile desde cuándo es miembro?" after when OGP was created names something else, which
      // the classifier is sure of: not a follow-up of the last topic ("y eso cuándo es?" is).
      const typed = followUpOf(text);
      const namesAnother = (typed === 'when' || typed === 'who') && !REFERS_BACK.test(normalize(text)) && !this.staysOnTopic(text, context.topic);
      const follow = namesAnother ? undefined : typed;
      // "y quién la preside?" after the Mesa, "y Chile desde cuándo está?" after joining OGP: a
      // fact of the last topic says more than the generic follow-up.
      // For "who", the topic's own fact always comes first ("¿y quién lo implementa?" after a
      // commitment); for "when", only on topics without a stage of their own.
      const factFirst = !namesAnother && (follow === 'who' || (follow === 'when' ? !TOPIC_STAGE[context.topic] && context.topic !== 'timeline' : !follow && leansBack(text)));
      // "y si no me responden?" after the transparency law is its appeal, unless the message is
      // surely about another topic ("y cómo participo?").
      let fact = factFirst && (follow || this.staysOnTopic(text, context.topic)) ? this.findFact(context.topic, text) : undefined;
      // A "who" with a stage of its own reads only the topic's facts: "¿y quién decide?" after the dates is the typed answer's.
      if (follow === 'who' && TOPIC_STAGE[context.topic] && fact?.intent !== context.topic) fact = undefined;
      // "el cuarto plan…" then "¿y cuántos compromisos tenía?": the same plan, not the nearest one.
      if (fact?.id.startsWith('chile.plan') && context.fact?.startsWith('chile.plan') && !planNumber(`plan ${normalize(text)}`)) fact = this.facts.get(context.fact) ?? fact;
      if (fact) return this.factAnswer(fact, now);
      if (follow) return this.followUp(context, follow, now);
    } else if (followUpOf(text) === 'more') {
      return this.moreWithoutContext(now);
    }

    const multi = this.several(text, now);
    if (multi) return multi;

    let match = this.nlu.understand(text);
    // "wena, pa q sirve esto?": a greeting before a question does not count.
    const bare = withoutGreeting(text);
    if (bare) {
      const inner = this.nlu.understand(bare);
      if (!SOCIAL.has(inner.intent) && inner.source !== 'out_of_scope') {
        match = inner;
        text = bare;
      }
    }
    const compared = this.comparison(text);
    if (compared) return compared;

    // Two readings are close: a fact that fits one of them settles it; otherwise ask.
    // Only between topics: a command ("quiero enviar una propuesta") is never second-guessed.
    const runnerUp = match.runnerUp;
    if (
      match.source === 'classifier' &&
      runnerUp &&
      match.confidence < CLARIFY_BELOW &&
      runnerUp.confidence >= PLAUSIBLE &&
      CLARIFIABLE.has(match.intent) &&
      !this.findFact(match.intent, text)
    ) {
      if (this.findFact(runnerUp.intent, text)) return this.answerIntent(runnerUp.intent, text, now, match);
      if (CLARIFIABLE.has(runnerUp.intent) && this.labels.has(match.intent) && this.labels.has(runnerUp.intent)) {
        return this.clarify(match.intent, runnerUp.intent, now);
      }
    }
    return this.answerIntent(match.intent, text, now, match);
  }

  /** The answer to one intent: its fact when the text asks for one, else its overview. */
  private answerIntent(intent: IntentName, text: string, now: Date, match: IntentMatch): Composed {
    const c = this.content;
    // "¿Cuáles son las etapas para hacer el plan?": the consultation's calendar, which the engine gives.
    const folded = normalize(text);
    if ((intent === 'timeline' || intent === 'action_plan') && asksWholeCalendar(folded) && !HISTORY_YEAR.test(folded)) {
      return { kind: 'intent', match: { ...match, intent: 'timeline' }, context: contextState('timeline', 'overview', now) };
    }
    const fact = this.findFact(intent, text);
    if (fact) return this.factAnswer(fact, now);
    // "¿Cuándo es la selección?": that stage's dates, not today's stage.
    const stage = intent === 'timeline' ? namedStage(folded) : undefined;
    if (stage) return this.stageDates(stage, intent, now);
    const file = c.intents.get(intent)!;
    // The overview (the intent's answer, with today's offer where it belongs) is the engine's to give.
    const keep = !file.action ? !SOCIAL.has(intent) : ['timeline', 'results', 'work_tables', 'draft_plan'].includes(file.action);
    return { kind: 'intent', match: { ...match, intent }, ...(keep ? { context: contextState(intent, 'overview', now) } : {}) };
  }

  private factAnswer(fact: FactAnswer, now: Date): Composed {
    return { kind: 'reply', intent: fact.intent, replies: [this.factReply(fact)], context: contextState(fact.intent, 'fact', now, { fact: fact.id }) };
  }

  /** A message the classifier cannot place, places in the topic itself, or places elsewhere without being sure. */
  private staysOnTopic(text: string, topic: IntentName): boolean {
    const m = this.nlu.understand(text);
    return m.intent === 'none' || m.intent === topic || m.confidence < SURE;
  }

  /** The fact a text asks about: a plan named by its number, else the nearest fact question. */
  private findFact(intent: IntentName, text: string): FactAnswer | undefined {
    const folded = normalize(text);
    // A stage of 2020 is history (Chile's fifth plan), not today's calendar.
    if (HISTORY_YEAR.test(folded) && STAGE_WORDS.test(folded) && !/\b2022\b/.test(folded)) {
      const history = this.facts.get('history.2020');
      if (history) return history;
    }
    let found = this.facts.find(intent, text);
    // The 2020 calendar answers only a question that names the past ("cuándo se reciben
    // propuestas" is about today's consultation, however close its words).
    if (found?.id === 'history.2020' && !PAST.test(folded)) found = undefined;
    // A plan named by its number ("el segundo plan") is one of Chile's plans, whatever fact of
    // plans in general the words also fit.
    if (intent === 'chile.plans' || intent === 'action_plan' || found?.id.startsWith('chile.plan')) {
      // About Chile's plans, "y el último?" needs no "plan" to name one.
      const n = planNumber(intent === 'chile.plans' ? `plan ${folded}` : folded);
      const plan = n ? this.facts.get(`chile.plan${n}`) : undefined;
      if (plan) return plan;
    }
    return found;
  }

  private factReply(fact: FactAnswer): Reply {
    const more = this.content.messages.options.more;
    const options = [more, ...(fact.options ?? [])].slice(0, MAX_OPTIONS);
    return { text: fillFacts(fact.answer, this.content.facts).trim(), options };
  }

  /** A topic's overview (the intent's answer), with "Ver más" when there is more. */
  private overview(intent: IntentName): Reply {
    return staticAnswer(this.content, this.content.intents.get(intent)!.answer!);
  }

  /** The reply a knowledge intent gets in a message with several questions (no dialog is started). */
  private partReply(intent: IntentName, now: Date): Reply | undefined {
    const c = this.content;
    const file = c.intents.get(intent)!;
    if (!file.action) return this.overview(intent);
    switch (file.action) {
      case 'timeline':
        return timelineReply(c, now);
      case 'results':
        return resultsReply(c, now, []);
      case 'work_tables':
        return workTablesReply(c, now);
      case 'proposal.start': {
        // How, and until when: the reception's dates (the question often comes with "¿hasta cuándo?").
        const stage = c.consultation.stages.find((st) => st.id === 'reception')!;
        const when = fillSlots(c.messages.messages.stage_dates, { stage: stage.name, start: formatDate(stage.start), end: formatDate(stage.end) });
        const offer = todayOffer(c, now);
        return { text: fillSlots(c.messages.messages.proposal_how, { when }), ...(offer.option ? { options: [offer.option] } : {}) };
      }
      default:
        return undefined;
    }
  }

  /** Several questions in one message: up to two answers, in order; undefined when there are not two. */
  private several(text: string, now: Date): Composed | undefined {
    const all = sentences(text)
      .flatMap(({ sentence, asked }) => normalize(sentence).split(CLAUSE_BREAK).map((p) => ({ p: p.trim(), asked })))
      .filter(({ p }) => p.split(' ').length >= 2);
    // "…soy una persona común y corriente": who is asking, not another question.
    const parts = all.filter(({ p, asked }) => asked || !ABOUT_ME.test(p)).map(({ p }) => p);
    const aboutMe = parts.length < all.length;
    if (parts.length < 2 && !(aboutMe && parts.length === 1)) return undefined;
    // Each question once: a topic, or a fact of it ("¿cuánto se demoran?" and "¿y hay que pagar?"
    // are two facts of the transparency law).
    const asked: { intent: IntentName; text: string; fact?: FactAnswer }[] = [];
    for (const part of parts) {
      const m = this.nlu.understand(part);
      const previous = asked.at(-1)?.intent;
      const unplaced = SOCIAL.has(m.intent) || m.source === 'out_of_scope';
      // "…y hay que pagar?": a short part that leans on the one before is read against its topic,
      // and answered only by a fact of it.
      const leaning = unplaced && previous !== undefined && leansBack(part);
      if (unplaced && !leaning) continue;
      // "qué es la Carta Iberoamericana y quién la escribió": a "who" after another question is
      // about that, not about the bot, unless it speaks to the bot.
      if (asked.length && ABOUT_THE_BOT.has(m.intent) && !TO_THE_BOT.test(part)) continue;
      const intent = leaning ? previous! : m.intent;
      const fact = this.findFact(intent, part);
      if (leaning && fact?.intent !== intent) continue;
      if (asked.some((a) => a.intent === intent && a.fact?.id === fact?.id)) continue;
      asked.push({ intent, text: part, ...(fact ? { fact } : {}) });
    }
    if (!asked.length) return undefined;
    if (asked.length === 1) {
      // "hola, quisiera saber qué es el gobierno abierto": one question with a greeting around it.
      const whole = this.nlu.understand(text);
      if (!aboutMe && (whole.intent === asked[0]!.intent || !SOCIAL.has(whole.intent))) return undefined;
      return this.answerIntent(asked[0]!.intent, asked[0]!.text, now, { intent: asked[0]!.intent, confidence: whole.confidence, source: 'classifier' });
    }
    const replies: Reply[] = [];
    const answered: IntentName[] = [];
    for (const a of asked) {
      if (answered.length >= MAX_ANSWERS) break;
      const reply = a.fact ? this.factReply(a.fact) : this.partReply(a.intent, now);
      if (!reply) continue;
      replies.push(reply);
      answered.push(a.intent);
    }
    if (answered.length < 2) return undefined;
    return { kind: 'reply', intent: answered[0]!, replies, context: contextState(answered.at(-1)!, 'overview', now) };
  }

  /** "diferencia entre transparencia y participación": both pillars. */
  private comparison(text: string): Composed | undefined {
    const folded = normalize(text);
    // Two pillars named ("transparencia activa y pasiva" names one): whatever the intent model said.
    if (!COMPARISON.test(folded)) return undefined;
    const named = PILLAR_WORDS.filter(([re]) => re.test(folded)).map(([, intent]) => intent);
    if (named.length < 2) return undefined;
    const replies = named.slice(0, MAX_ANSWERS).map((intent) => staticAnswer(this.content, this.content.intents.get(intent)!.answer!));
    return { kind: 'reply', intent: 'pillars', replies };
  }

  private clarify(a: IntentName, b: IntentName, now: Date): Composed {
    const la = this.labels.get(a)!;
    const lb = this.labels.get(b)!;
    return {
      kind: 'reply',
      intent: a,
      replies: [{ text: fillSlots(this.content.messages.messages.clarify, { a: la, b: lb }), options: [la, lb] }],
      context: contextState(a, 'overview', now, { choices: [a, b] }),
    };
  }

  /** The option picked after "¿A o B?" (its label, "la primera", "1"…). */
  private pick(text: string, context: ContextState): IntentName | undefined {
    if (!context.choices?.length) return undefined;
    const folded = normalize(text);
    for (const intent of context.choices) {
      const label = this.labels.get(intent);
      if (label && normalize(label) === folded) return intent;
    }
    if (/^(?:1|la primera|el primero|primera|primero|a)$/.test(folded)) return context.choices[0];
    if (/^(?:2|la segunda|el segundo|segunda|segundo|b)$/.test(folded)) return context.choices[1];
    return undefined;
  }

  private followUp(context: ContextState, follow: FollowUp, now: Date): Composed {
    const c = this.content;
    const topic = context.topic;
    const keep = (level: ContextState['level']) => contextState(topic, level, now, context.fact ? { fact: context.fact } : {});
    switch (follow) {
      case 'more': {
        const file = c.intents.get(topic)!;
        if (context.level === 'fact') return { kind: 'intent', match: { intent: topic, confidence: 1, source: 'classifier' }, context: keep('overview') };
        const more = context.level === 'overview' ? file.answer?.more : undefined;
        if (more) return { kind: 'reply', intent: topic, replies: [{ text: fillFacts(more, c.facts).trim(), ...(file.answer?.options ? { options: file.answer.options } : {}) }], context: keep('more') };
        return { kind: 'reply', intent: topic, replies: [{ text: c.messages.messages.more_end, options: this.topicOptions(topic) }], context: keep('more') };
      }
      case 'after': {
        const stage = context.stage ?? this.stageOf(topic, now);
        const fact = stage ? this.facts.get(`after.${stage}`) : undefined;
        if (fact) return { kind: 'reply', intent: 'timeline', replies: [this.factReply(fact)], context: contextState('timeline', 'fact', now, { fact: fact.id }) };
        return { kind: 'intent', match: { intent: 'timeline', confidence: 1, source: 'classifier' }, context: contextState('timeline', 'overview', now) };
      }
      case 'when': {
        const stageId = context.stage ?? TOPIC_STAGE[topic];
        if (stageId) return this.stageDates(stageId, topic, now);
        return { kind: 'intent', match: { intent: 'timeline', confidence: 1, source: 'classifier' }, context: contextState('timeline', 'overview', now) };
      }
      case 'place': {
        if (topic === 'work_tables') return { kind: 'intent', match: { intent: 'work_tables', confidence: 1, source: 'classifier' } };
        const local = ['open_government', 'ogp', 'ogp.local', 'ogp.membership', 'action_plan', 'chile.plans', 'pillars', 'forum', 'commitment.examples'];
        const fact = local.includes(topic) || topic.startsWith('pillar.') ? this.facts.get('local.my_commune') : undefined;
        if (fact) return { kind: 'reply', intent: 'ogp.local', replies: [this.factReply(fact)], context: contextState('ogp.local', 'fact', now, { fact: fact.id }) };
        const text = fillSlots(c.messages.messages.place_consultation, { territory: c.consultation.territory });
        return { kind: 'reply', intent: 'participate', replies: [{ text, options: this.topicOptions('participate') }], context: contextState('participate', 'overview', now) };
      }
      case 'who': {
        const fact = this.facts.get('results.who_selects');
        if (fact && (TOPIC_STAGE[topic] || topic === 'timeline')) {
          return { kind: 'reply', intent: 'results', replies: [this.factReply(fact)], context: contextState('results', 'fact', now, { fact: fact.id }) };
        }
        const who = this.facts.get('bot.organizer');
        if (who) return { kind: 'reply', intent: 'bot.identity', replies: [this.factReply(who)], context: contextState('bot.identity', 'fact', now, { fact: who.id }) };
        return { kind: 'intent', match: { intent: 'bot.identity', confidence: 1, source: 'classifier' } };
      }
    }
  }

  /** "**Selección de propuestas**: del … al …", kept as the context for "¿y después?". */
  private stageDates(id: StageId, topic: IntentName, now: Date): Composed {
    const c = this.content;
    const stage = c.consultation.stages.find((s) => s.id === id);
    if (!stage) return { kind: 'intent', match: { intent: 'timeline', confidence: 1, source: 'classifier' }, context: contextState('timeline', 'overview', now) };
    const text = fillSlots(c.messages.messages.stage_dates, { stage: stage.name, start: formatDate(stage.start), end: formatDate(stage.end) });
    return { kind: 'reply', intent: 'timeline', replies: [{ text, options: [c.messages.options.timeline, c.messages.options.calendar] }], context: contextState(topic, 'overview', now, { stage: id }) };
  }

  /** The stage a topic is about; for the calendar itself, today's (or the next). */
  private stageOf(topic: IntentName, now: Date): StageId | undefined {
    const mapped = TOPIC_STAGE[topic];
    if (mapped) return mapped;
    if (topic !== 'timeline') return undefined;
    const { current, next } = calendarPosition(this.content.consultation, now);
    return current.at(-1)?.id ?? next?.id;
  }

  private topicOptions(topic: IntentName): string[] {
    return this.content.intents.get(topic)?.answer?.options ?? this.content.intents.get('help')!.answer!.options ?? [];
  }

  /** "dime más" with nothing before it: ask what about. */
  private moreWithoutContext(now: Date): Composed {
    const c = this.content;
    const reply = withTodayOffer(c, { text: c.messages.messages.more_unknown, ...(c.intents.get('help')?.answer?.options ? { options: c.intents.get('help')!.answer!.options! } : {}) }, now);
    return { kind: 'reply', intent: 'help', replies: [reply] };
  }
}

/** Greetings people put before a question ("hola", "wena", "buenas tardes", "saludos"). */
const GREETING_START = /^(?:(?:hola|holi|buenas|buena|buenos|buen|saludos|hey|oye|que tal)(?: (?:tardes|noches|dias|dia|a todos|que tal|cabildo|bot))*\s+)+/;

/** The (normalised) text after a leading greeting, when a greeting leads it and two words or more follow. */
function withoutGreeting(text: string): string | undefined {
  const folded = normalize(text);
  const m = GREETING_START.exec(folded);
  if (!m) return undefined;
  const rest = folded.slice(m[0].length).trim();
  return rest.split(' ').length >= 2 ? rest : undefined;
}

/** The year of the last calendar the seeds describe, and the words that name its stages. */
const HISTORY_YEAR = /\b(?:2020|(?:quinto|5to) plan)\b/;
/** A question about an earlier consultation: its year, the fifth plan, or the past tense of its stages. */
const PAST = /\b(?:2020|quinto|5to|anterior|pasad[oa]|fue|fueron|recibieron|hicieron|se publico|historia)\b/;
const STAGE_WORDS = /\b(?:recepcion|propuestas|mesas?|consulta|borrador|seleccion|selecciono|publico|publicacion|calendario|cronograma|fechas?|mes|etapas?)\b/;

/** The stage of the calendar a (normalised) question names, the more specific first ("resultados de las mesas" before "mesas"). */
const STAGE_CUES: [RegExp, StageId][] = [
  [/\b(?:sensibilizacion|jornadas? informativas?)\b/, 'awareness'],
  [/\bresultados de las mesas\b/, 'results'],
  [/\bmesas de trabajo\b/, 'work_tables'],
  [/\b(?:seleccion|seleccionan|eligen las propuestas)\b/, 'selection'],
  [/\b(?:borrador|consulta publica)\b/, 'draft_consultation'],
  [/\brecepcion\b/, 'reception'],
];
function namedStage(folded: string): StageId | undefined {
  return STAGE_CUES.find(([cue]) => cue.test(folded))?.[1];
}

/** Asking for every stage, not today's (normalised): "¿cuáles son las etapas?", "cronograma completo". */
export function asksWholeCalendar(folded: string): boolean {
  return /\b(?:etapas|calendario|cronograma|todas las fechas)\b/.test(folded);
}

/** Ordinals and numbers people use for Chile's plans: "quinto", "5to", "5°", "plan 5", "3er". */
const PLAN_NUMBERS: [RegExp, number][] = [
  [/\b(?:primer|primero|1er|1ro|1o)\b/, 1],
  [/\b(?:segundo|2do|2o)\b/, 2],
  [/\b(?:tercer|tercero|3er|3ro|3o)\b/, 3],
  [/\b(?:cuarto|4to|4o)\b/, 4],
  [/\b(?:quinto|5to|5o)\b/, 5],
  [/\b(?:sexto|6to|6o)\b/, 6],
  // The latest plan the facts know (its commitments are not counted in the seeds; its years are).
  [/\b(?:ultimo|mas reciente)\b/, 5],
];

/** The plan number a (normalised) text names next to "plan", or undefined. */
export function planNumber(folded: string): number | undefined {
  if (!/\bplan(?:es)?\b/.test(folded)) return undefined;
  const numeric = /\bplan (?:n |numero |nro )?([1-6])\b/.exec(folded);
  if (numeric) return Number(numeric[1]);
  for (const [re, n] of PLAN_NUMBERS) if (re.test(folded)) return n;
  return undefined;
}
