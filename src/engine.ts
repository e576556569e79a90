/**
 * The engine owns the turn: per-user queue, load state, understand, decide, save, reply, inside
 * one error boundary. Every front end (terminal, web chat, Slack, WhatsApp) calls `handle`.
 *
 * @example
 * const engine = await createEngine({ contentDir: '.', store: openMemoryStore() });
 * const { replies } = await engine.handle({ channel: 'cli', userId: 'ana', text: '¿Qué es OGP?' });
 */
import { loadContent, type Content } from './content/load.js';
import { CabildoError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import { formatTrackingNumber } from './nlu/rules.js';
import { createUnderstander, factQuestions, type Understander, type UnderstandOptions } from './nlu/understand.js';
import { folderCache } from './nlu/model-cache.js';
import { cleanText, hasWords, normalize } from './nlu/normalize.js';
import { formCommand } from './dialog/proposal.js';
import { proposalFlow } from './dialog/proposal-flow.js';
import { deletionFlow } from './dialog/deletion-flow.js';
import { draftFlow, MY_OPINIONS, myOpinionsReply } from './dialog/draft-flow.js';
import { mySignUpsReply, signUpFlow } from './dialog/signup-flow.js';
import { openTables } from './answers/tables.js';
import { fitOffers, withTodayOffer } from './answers/stage.js';
import { midFlowMessage, resumed } from './dialog/mid-flow.js';
import { asksWholeCalendar, Composer } from './answers/compose.js';
import { CONTEXT_TTL_MS, contextFlow, type ContextState } from './dialog/context.js';
import { localDate } from './answers/timeline.js';
import type { Flow, FlowContext, Step } from './dialog/flow.js';
import {
  myDataReply,
  noticeReply,
  proposalList,
  proposalStatus,
  publicStatus,
  resultsReply,
  say,
  staticAnswer,
  timelineReply,
  workTablesReply,
  calendarReply,
} from './answers/render.js';
import { KeyedQueue } from './keyed-queue.js';
import type { Store } from './store/port.js';
import {
  MAX_MESSAGE_LENGTH,
  MAX_OPTION_LENGTH,
  MAX_OPTIONS,
  type DialogState,
  type Inbound,
  type IntentMatch,
  type Notice,
  type IntentName,
  type Proposal,
  type Reply,
  type TurnResult,
} from './types.js';
import { endListsWithBlankLine } from './text/lists.js';

/** At most this many people remembered as waiting for free text, per process. */
const MAX_FREE_TEXT_HINTS = 100_000;

/** Dialog state untouched for this long is dropped, with a notice, on the person's next message. */
export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

/** Intents a person may ask in the middle of the form; the pending question is asked again after. */
const INTERRUPTIBLE = new Set<IntentName>([
  'open_government', 'pillars', 'pillar.transparency', 'pillar.participation', 'pillar.accountability', 'pillar.innovation',
  'ogp', 'ogp.membership', 'ogp.local', 'action_plan', 'chile.plans', 'commitment', 'commitment.examples', 'forum',
  'participate', 'timeline', 'open_data', 'privacy', 'human', 'work_tables', 'results',
  'access_to_information', 'bot.identity',
]);

/** Answers that say what a person can do today, with that option first ("Cómo participar" too: the calendar decides the offer). */
export const OFFERS_TODAY: ReadonlySet<IntentName> = new Set<IntentName>(['greeting', 'help', 'none', 'participate']);

/** Every flow, by the name it leaves in the person's state. */
const FLOWS: { [F in DialogState['form']]: Flow<Extract<DialogState, { form: F }>> } = {
  proposal: proposalFlow,
  deletion: deletionFlow,
  draft: draftFlow,
  signup: signUpFlow,
  context: contextFlow,
};

/** The flow a state belongs to. (TypeScript cannot correlate the lookup with the state's own type.) */
const flowOf = (state: DialogState) => FLOWS[state.form] as unknown as Flow<DialogState>;

const MY_DATA = new Set(['mis datos', 'ver mis datos', 'que datos tienen de mi', 'que datos tienes de mi', 'que saben de mi']);
const ERASE = new Set(['borrar mis datos', 'borra mis datos', 'eliminar mis datos', 'elimina mis datos']);
const MY_SIGNUPS = new Set(['mis inscripciones', 'ver mis inscripciones', 'mi inscripcion', 'mis mesas']);
/** A proposal's number without "GA" and its year (normalised): "propuesta número 4821", "folio 12". */
const NUMBER_WITHOUT_YEAR = /\b(?:numero|nro|n|folio|seguimiento)\s+(\d{1,6})\b/;
/** Wanting a place at a work table (normalised), as opposed to asking about the tables. */
const SIGN_UP = /\b(inscrib\w*|anot\w*|registr\w*|apunt\w*|cupos?|sumarme|participar en (una|la|las) mesas?)\b/;
/** Another public service's procedure (normalised): pensions, health insurance, ID, taxes, elections, benefits. */
const OTHER_SERVICE =
  /\b(?:tramites?|fonasa|isapre|afp|pension\w*|jubila\w*|registro civil|carnet|cedula|pasaporte|licencia de conducir|sii|impuestos|servel|vocal de mesa|subsidio\w*|serviu|cesfam|consultorio|becas?|seguro de cesantia|bono\w*|registro social de hogares|chileatiende)\b/;
/** Telling of a sign-up already made (normalised), which is not asking for another. */
const SIGNED_UP = /\b(me inscribi|me anote|me registre|estoy (inscrit|anotad|registrad)\w*)\b/;
/** Wanting out of a table one signed up for (normalised). */
const LEAVE_TABLE = /\b(me salgo|salirme|desinscrib\w*|darme de baja|me (doy|bajo) de|cancelar (mi|la) inscripcion|anular (mi|la) inscripcion|ya no (puedo|voy a poder) ir|no (puedo|podre|voy a poder) (ir|asistir))\b/;
/** "cancelar inscripción M2-7KQ4": read from the raw text (normalising drops digits). */
const CANCEL_SIGNUP = /^\s*(?:cancelar|anular)\s+(?:mi\s+)?inscripci[oó]n\s+(M\d{1,3}-[A-Z0-9]{4})\s*$/i;

const QUESTION_START =
  /^((y|pero|oye|disculpa|una (pregunta|consulta)|(quisiera|queria|necesito|quiero) saber|me (puedes|pueden|podrias) (decir|explicar|contar)|sabes|saben) )?(que|como|cuando|donde|quien|quienes|cual|cuales|cuanto|cuantos|cuantas|por que|porque|para que|hay|se puede|puedo|es|son)\b/;
/** "y los resultados dónde los publican": a follow-up whose question word comes a few words in. */
const LATE_QUESTION = /^(y|pero) (\w+ ){1,3}(donde|cuando|quien|quienes|cuanto|cuantos|cuantas|como)\b/;
/** Longer texts are answers to the form, even when phrased as questions. */
const MAX_QUESTION_WORDS = 14;

export interface EngineOptions {
  /** Folder holding `intents/` and `data/`. */
  contentDir: string;
  store: Store;
  /** Defaults to the system clock; tests and demos pass a fixed one. */
  clock?: () => Date;
  logger?: Logger;
  understand?: UnderstandOptions;
  /** Where the public results are served (`CABILDO_PUBLIC_URL`), for links in answers; without it, no links. */
  publicUrl?: string;
  /** A folder to keep the trained model in between starts (`CABILDO_MODEL_CACHE`); without it, every start trains. */
  modelCache?: string;
}

export interface Engine {
  /** One message in, the replies out. Safe to call concurrently; one person's turns run in order. */
  handle(inbound: Inbound): Promise<TurnResult>;
  /** Understanding alone, without state or replies (the `classify` command). */
  understand(text: string): IntentMatch;
  /**
   * Notices waiting for a person (status changes of their proposals), removed as they are
   * returned. For channels that can write first; `handle` also delivers them before its reply.
   */
  takeNotices(channel: string, userId: string): Promise<Reply[]>;
  /**
   * Hands each notice waiting for the person under `userKey` to `send`, with its wording, and
   * removes it only once `send` resolved true: false leaves it waiting (it cannot go out now),
   * and a throw stops there, leaving it and the rest waiting. For channels that must know the
   * platform accepted a message before a notice counts as delivered. Returns how many went.
   */
  deliverNotices(userKey: string, send: (notice: Notice, reply: Reply) => Promise<boolean>): Promise<number>;
  /** Keyed hashes of the people with notices waiting, by channel. */
  pendingNoticeKeys(): Promise<{ channel: string; userKey: string }[]>;
  /** The keyed hash that stands for a channel user. */
  userKey(channel: string, userId: string): string;
  /** The engine's clock (fixed in tests and demos by CABILDO_NOW). */
  now(): Date;
  /**
   * Leaves the notices the calendar brings today (draft invitations, table reminders; checked
   * once a local day), for deliveries that do not wait for a message, such as email.
   */
  calendarNotices(): Promise<void>;
  /** True the first time a platform delivery id is seen, by any instance sharing the store. */
  firstDelivery(channel: string, id: string): Promise<boolean>;
  /** Whether this instance may run a service only one instance may run (see Store.claim). */
  claim(name: string): Promise<boolean>;
  /** Resolves when every turn started so far has finished (for a graceful shutdown). */
  idle(): Promise<void>;
  /** Calls `listener` with each proposal once it is on disk (staff announcements); returns an unsubscribe. */
  onProposalSubmitted(listener: (proposal: Proposal) => void): () => void;
  /**
   * Whether the person's next message answers a free-text question (a proposal field), so a
   * channel where people split one answer into several messages may join them first.
   */
  expectsFreeText(channel: string, userId: string): boolean;
  readonly content: Content;
}

/** Loads and validates content, trains the classifier, and returns the engine. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const content = loadContent(options.contentDir);
  return new CabildoEngine(content, options);
}

class CabildoEngine implements Engine {
  readonly content: Content;
  private readonly store: Store;
  private readonly clock: () => Date;
  private readonly log: Logger;
  private readonly publicUrl: string | undefined;
  private readonly nlu: Understander;
  private readonly composer: Composer;
  private readonly queue = new KeyedQueue();
  private readonly submittedListeners = new Set<(proposal: Proposal) => void>();
  /** Identifiers linked to another person's key, as last looked up (so expectsFreeText, which is synchronous, finds the person). */
  private readonly aliases = new Map<string, string>();
  /** People whose saved state waits for free text (see saveState). */
  private readonly freeTextExpected = new Set<string>();
  /** The local day the calendar's notices were last checked (once a day is enough). */
  private dailyChecked = '';
  /** When expired follow-up contexts were last deleted (at most once a minute). */
  private contextsSwept = 0;

  constructor(content: Content, options: EngineOptions) {
    this.content = content;
    this.store = options.store;
    this.clock = options.clock ?? (() => new Date());
    this.log = options.logger ?? silentLogger;
    this.publicUrl = options.publicUrl?.replace(/\/+$/, '');
    const modelCache = options.modelCache === undefined ? undefined : folderCache(options.modelCache, (message) => this.log.warn({ modelCache: options.modelCache }, message));
    this.nlu = createUnderstander(content.intents, { ...options.understand, ...(modelCache ? { modelCache } : {}) }, factQuestions(content.answers));
    this.composer = new Composer(content, this.nlu);
  }

  understand(text: string): IntentMatch {
    return this.nlu.understand(text);
  }

  userKey(channel: string, userId: string): string {
    return this.store.userKey(channel, userId);
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  now(): Date {
    return this.clock();
  }

  calendarNotices(): Promise<void> {
    return this.dailyNotices(this.clock());
  }

  firstDelivery(channel: string, id: string): Promise<boolean> {
    return this.store.firstDelivery(`${channel}:${id}`);
  }

  claim(name: string): Promise<boolean> {
    return this.store.claim(name);
  }

  onProposalSubmitted(listener: (proposal: Proposal) => void): () => void {
    this.submittedListeners.add(listener);
    return () => this.submittedListeners.delete(listener);
  }

  expectsFreeText(channel: string, userId: string): boolean {
    const key = this.store.userKey(channel, userId);
    return this.freeTextExpected.has(this.aliases.get(key) ?? key);
  }

  /**
   * The key a person's records are under: the one their identifier was linked to (a WhatsApp
   * business-scoped id linked to the phone number first seen), else the identifier's own.
   */
  private async personKey(key: string): Promise<string> {
    // A store that cannot answer fails inside the turn, which tells the person; not here.
    const person = (await this.store.personOf(key).catch(() => undefined)) ?? key;
    if (person === key) this.aliases.delete(key);
    else {
      if (this.aliases.size >= MAX_FREE_TEXT_HINTS) this.aliases.delete(this.aliases.keys().next().value!);
      this.aliases.set(key, person);
    }
    return person;
  }

  /**
   * Saves a person's dialog state, and notes here whether it waits for free text: channels ask
   * that synchronously while a message arrives, and it is only a hint for joining split messages.
   */
  private async saveState(userKey: string, state: DialogState | undefined): Promise<void> {
    await this.store.setSession(userKey, state);
    this.freeTextExpected.delete(userKey);
    if (state && flowOf(state).expectsFreeText?.(state)) {
      // Bounded: the oldest entry goes first (Map keeps insertion order).
      if (this.freeTextExpected.size >= MAX_FREE_TEXT_HINTS) this.freeTextExpected.delete(this.freeTextExpected.keys().next().value!);
      this.freeTextExpected.add(userKey);
    }
  }

  handle(inbound: Inbound): Promise<TurnResult> {
    // String(): a careless channel must not be able to throw outside the turn's error boundary.
    const id = this.store.userKey(String(inbound.channel), String(inbound.userId));
    // In this process the queue orders the person's turns; across instances (and across a
    // person's several identifiers), the store's lock on the person.
    return this.queue.run(id, async () => {
      const key = await this.personKey(id);
      return this.store.exclusive(key, () => this.turn(inbound, key));
    });
  }

  takeNotices(channel: string, userId: string): Promise<Reply[]> {
    const id = this.store.userKey(channel, userId);
    return this.queue.run(id, async () => {
      const key = await this.personKey(id);
      return this.store.exclusive(key, () => this.notices(key));
    });
  }

  deliverNotices(userKey: string, send: (notice: Notice, reply: Reply) => Promise<boolean>): Promise<number> {
    return this.queue.run(userKey, () =>
      this.store.exclusive(userKey, async () => {
        let delivered = 0;
        for (const notice of await this.store.pendingNotices(userKey)) {
          const reply = finishReply(noticeReply(this.content, notice, 'proposalId' in notice ? await this.store.get(notice.proposalId) : undefined));
          if (!(await send(notice, reply))) continue;
          await this.store.removeNotice(notice);
          delivered++;
        }
        return delivered;
      }),
    );
  }

  async pendingNoticeKeys(): Promise<{ channel: string; userKey: string }[]> {
    // Invitations are created in the background; the channel's next poll delivers them.
    void this.dailyNotices(this.clock()).catch((error: unknown) => this.log.error({ err: String(error) }, 'daily notices failed'));
    const seen = new Map<string, { channel: string; userKey: string }>();
    for (const n of await this.store.pendingNotices()) seen.set(n.userKey, { channel: n.channel, userKey: n.userKey });
    return [...seen.values()];
  }

  private async turn(inbound: Inbound, key: string): Promise<TurnResult> {
    const started = performance.now();
    const now = this.clock();
    // Notices taken from the store must reach the person even if the rest of the turn fails.
    let before: Reply[] = [];
    try {
      await this.dailyNotices(now);
      before = await this.notices(key);
      const result = await this.decide(inbound, key, now);
      const replies = [...before, ...result.replies].map(finishReply);
      this.log.info(
        { channel: inbound.channel, intent: result.intent, ms: Math.round((performance.now() - started) * 100) / 100 },
        'turn',
      );
      return { intent: result.intent, replies };
    } catch (error) {
      const code = error instanceof CabildoError ? error.code : 'UNEXPECTED';
      this.log.error({ channel: inbound.channel, code, err: error instanceof Error ? error.message : String(error) }, 'turn failed');
      return { intent: null, replies: [...before, { text: say(this.content, 'internal_error') }] };
    }
  }

  private async decide(inbound: Inbound, key: string, now: Date): Promise<TurnResult> {
    if (inbound.nonText) return { intent: null, replies: [{ text: say(this.content, 'not_text') }] };
    const raw = typeof inbound.text === 'string' ? inbound.text : '';
    let text = cleanText(raw);
    const prefix: Reply[] = [];
    if (text.length > MAX_MESSAGE_LENGTH) {
      text = text.slice(0, MAX_MESSAGE_LENGTH);
      prefix.push({ text: say(this.content, 'message_truncated', { max: MAX_MESSAGE_LENGTH.toLocaleString('es-CL') }) });
    }

    let state = await this.store.session(key);
    // The last answer's topic is no dialog: it only frames a short follow-up (src/dialog/context.ts).
    let context: ContextState | undefined;
    if (state?.form === 'context') {
      context = state;
      state = undefined;
    }
    if (state && (state.v !== flowOf(state).version || now.getTime() - Date.parse(state.updatedAt) > SESSION_TTL_MS)) {
      await this.saveState(key, undefined);
      state = undefined;
      prefix.push({ text: say(this.content, 'session_expired') });
    }

    const ctx = this.flowContext(key, inbound.channel, now);
    if (state) {
      const flow = flowOf(state);
      const folded = normalize(text);
      if (formCommand(folded) === 'cancel') {
        // A flow may keep going (back to its summary) or ask first; otherwise it ends here.
        const cancelled = flow.cancel ? await this.apply(ctx, flow.cancel(ctx, state), text) : undefined;
        if (cancelled) return { intent: null, replies: [...prefix, ...cancelled.replies] };
        await this.saveState(key, undefined);
        return { intent: null, replies: [...prefix, flow.cancelled(this.content)] };
      }
      // "borrar mis datos" works anywhere: it replaces the flow (erasing drops dialog state anyway).
      if (ERASE.has(folded)) {
        const result = await this.startFlow(FLOWS.deletion as unknown as Flow<DialogState>, 'data_deletion', this.flowContext(key, inbound.channel, now));
        return { intent: result.intent, replies: [...prefix, ...result.replies] };
      }
      // "mis datos" works anywhere; the flow then goes on where it was.
      if (MY_DATA.has(folded)) {
        return { intent: 'privacy', replies: [...prefix, myDataReply(this.content, await this.store.userData(key)), resumed(this.content, flow, state)] };
      }
      // Coming back, a question about the form, a command: never an answer, never a failed try.
      const mid = flow.welcomeBack && midFlowMessage(text, folded, (t) => this.nlu.understand(t));
      if (mid) {
        const result: TurnResult =
          mid.kind === 'coming_back'
            ? { intent: 'greeting', replies: [flow.welcomeBack!(this.content, state)] }
            : mid.kind === 'form_question'
              ? { intent: 'help', replies: [(flow.fieldHelp ?? flow.reask)(this.content, state)] }
              : await this.answer(text, { ...ctx, open: state.form });
        const replies = mid.kind === 'command' ? [...result.replies.map((r) => fitOffers(this.content, r, now, state.form)), resumed(this.content, flow, state)] : result.replies;
        // Saved after answering: an answer may leave state of its own, which the open flow's replaces.
        await this.saveState(key, { ...state, updatedAt: now.toISOString() });
        return { intent: result.intent, replies: [...prefix, ...replies] };
      }
      // Empty and emoji-only answers too: a flow re-asks its own question with the reason.
      const result = await this.apply(ctx, await flow.next(ctx, state, text), text);
      if (result) return { intent: result.intent, replies: [...prefix, ...result.replies] };
    }

    if (!text || !hasWords(text)) return { intent: null, replies: [...prefix, emptyReply(this.content)] };

    const result = await this.answer(text, ctx, context);
    return { intent: result.intent, replies: [...prefix, ...result.replies.map((r) => fitOffers(this.content, r, now))] };
  }

  /** Saves what a flow's step says and returns its replies; undefined when the flow let go of the text. */
  private async apply(ctx: FlowContext, step: Step<DialogState>, text: string): Promise<TurnResult | undefined> {
    switch (step.kind) {
      case 'continue':
        await this.saveState(ctx.userKey, step.state);
        return { intent: null, replies: step.replies };
      case 'done':
        await this.saveState(ctx.userKey, undefined);
        return { intent: null, replies: step.replies };
      case 'interrupt': {
        const open = step.state.form;
        const answered = await this.answer(text, { ...ctx, open });
        await this.saveState(ctx.userKey, step.state);
        const line = flowOf(step.state).resumeText?.(this.content) ?? say(this.content, 'resume');
        return { intent: answered.intent, replies: [...answered.replies.map((r) => fitOffers(this.content, r, ctx.now, open)), { ...step.reask, text: `${line}\n\n${step.reask.text}` }] };
      }
      case 'leave':
        await this.saveState(ctx.userKey, undefined);
        return undefined;
    }
  }

  /** Starts a flow for the intent that asked for it. */
  private async startFlow(flow: Flow<DialogState>, intent: IntentName, ctx: FlowContext): Promise<TurnResult> {
    const step = await flow.start(ctx);
    // A flow that cannot start ("la consulta del borrador abre el…") leaves the context of this
    // answer in place, for "¿y después?".
    if (step.kind === 'done') return { intent, replies: step.replies };
    return { intent, replies: (await this.apply(ctx, step, ''))?.replies ?? [] };
  }

  private flowContext(userKey: string, channel: string, now: Date): FlowContext {
    return {
      content: this.content,
      store: this.store,
      userKey,
      channel,
      now,
      log: this.log,
      isQuestion: (text) => this.isQuestion(text),
      proposalSubmitted: (proposal) => {
        this.log.info({ channel, proposal: proposal.id }, 'proposal submitted');
        for (const listener of this.submittedListeners) {
          try {
            listener(proposal);
          } catch (error) {
            this.log.error({ channel, err: String(error) }, 'submission listener failed');
          }
        }
      },
    };
  }

  /** A message outside any flow: understand it and answer, starting a flow when the intent is one. */
  private async answer(text: string, ctx: FlowContext, context?: ContextState): Promise<TurnResult> {
    const c = this.content;
    const { userKey: key, now } = ctx;
    const folded = normalize(text);
    if (MY_DATA.has(folded)) {
      return { intent: 'privacy', replies: [myDataReply(c, await this.store.userData(key))] };
    }
    if (MY_SIGNUPS.has(folded)) return { intent: 'work_tables', replies: [mySignUpsReply(c, await this.store.signUpsOf(key))] };
    const cancelCode = CANCEL_SIGNUP.exec(text)?.[1];
    if (cancelCode) {
      const result = await this.store.cancelSignUp(key, cancelCode, now);
      const table = result && c.workTables.find((t) => t.id === result.cancelled.tableId);
      return {
        intent: 'work_tables',
        replies: [{ text: result ? say(c, 'signup_cancelled', { code: result.cancelled.code, table: table ? `${table.id} · ${table.theme}` : result.cancelled.tableId }) : say(c, 'signup_cancel_unknown', { code: cancelCode.toUpperCase() }) }],
      };
    }
    if (MY_OPINIONS.has(folded)) {
      return { intent: 'draft_plan', replies: [myOpinionsReply(c, await this.store.opinionsOf(key), await this.store.priorityOf(key))] };
    }
    if (formCommand(folded) === 'cancel') return { intent: null, replies: [{ text: say(c, 'nothing_to_cancel') }] };
    const composed = this.composer.compose(text, context, now);
    // Kept for a follow-up; a dialog started below, or a flow that was interrupted, saves over it.
    if (composed.context && !ctx.open) {
      await this.saveState(key, composed.context);
      this.sweepContexts(now);
    }
    if (composed.kind === 'reply') return { intent: composed.intent, replies: composed.replies };
    const match = composed.match;
    const intent = match.intent;
    const file = c.intents.get(intent)!;
    switch (file.action) {
      case undefined: {
        // "¿Cómo saco mi carnet?": not ours, but there is a right door for it.
        const services = intent === 'none' && OTHER_SERVICE.test(folded) ? c.referrals.services : undefined;
        const reply = services ? { ...staticAnswer(c, file.answer!), text: say(c, 'other_services', { services }) } : staticAnswer(c, file.answer!);
        return { intent, replies: [OFFERS_TODAY.has(intent) ? withTodayOffer(c, reply, now, ctx.open) : reply] };
      }
      case 'timeline':
        return { intent, replies: [asksWholeCalendar(folded) ? calendarReply(c, now) : timelineReply(c, now)] };
      case 'work_tables': {
        // "Ya no puedo ir, ¿cómo me salgo?", "me inscribí en una mesa": their sign-ups, with the codes that cancel them.
        if (LEAVE_TABLE.test(folded) || SIGNED_UP.test(folded)) return { intent, replies: [mySignUpsReply(c, await this.store.signUpsOf(key))] };
        const info = workTablesReply(c, now);
        // Mid-flow, the tables are explained; signing up waits until the open flow is done.
        if (!openTables(c, now).length || ctx.open) {
          return { intent, replies: [c.workTables.length ? { ...info, text: `${info.text}\n\n${say(c, 'tables_closed')}` } : info] };
        }
        // "¿Cuándo son las mesas?" is a question: the answer, and signing up one tap away.
        if (!SIGN_UP.test(folded) && folded !== normalize(c.messages.options.tables)) {
          return { intent, replies: [{ ...info, options: [c.messages.options.sign_up, ...(info.options ?? [])] }] };
        }
        const started = await this.startFlow(FLOWS.signup as unknown as Flow<DialogState>, intent, ctx);
        return { intent, replies: [{ text: info.text }, ...started.replies] };
      }
      case 'results':
        return { intent, replies: [resultsReply(c, now, await this.store.byUser(key), this.publicUrl)] };
      case 'draft_plan':
        if (ctx.open) return this.busy(intent, ctx.open);
        return this.startFlow(FLOWS.draft as unknown as Flow<DialogState>, intent, ctx);
      case 'proposal.status': {
        const trackingNumber = match.trackingNumber ?? (await this.numberWithoutYear(text));
        if (trackingNumber) {
          const p = await this.store.get(trackingNumber);
          // Tracking numbers are sequential: whoever is not the author gets the public view.
          const reply = !p
            ? { text: say(c, 'status_not_found', { id: trackingNumber }), options: [c.messages.options.my_proposals] }
            : p.userKey === key
              ? proposalStatus(c, p)
              : publicStatus(c, p);
          return { intent, replies: [reply] };
        }
        return { intent, replies: [proposalList(c, await this.store.byUser(key))] };
      }
      case 'proposal.start':
        if (ctx.open) return this.busy(intent, ctx.open);
        return this.startFlow(FLOWS.proposal as unknown as Flow<DialogState>, intent, ctx);
      case 'data_deletion':
        return this.startFlow(FLOWS.deletion as unknown as Flow<DialogState>, intent, ctx);
    }
  }

  /**
   * "mi propuesta número 4821": the tracking number it names without its year, as the proposal of
   * a year of the reception that has it; as written when none has it (the reply says the form).
   */
  private async numberWithoutYear(text: string): Promise<string | undefined> {
    const seq = NUMBER_WITHOUT_YEAR.exec(normalize(text))?.[1];
    if (!seq) return undefined;
    const reception = this.content.consultation.stages.find((s) => s.id === 'reception')!;
    for (let year = Number(reception.start.slice(0, 4)); year <= Number(reception.end.slice(0, 4)); year++) {
      const id = formatTrackingNumber(year, Number(seq));
      if (await this.store.get(id)) return id;
    }
    return seq;
  }

  /** Asked to start a flow while one is open: that one goes on (the caller asks its question again). */
  private busy(intent: IntentName, open: DialogState['form']): TurnResult {
    const flow = FLOWS[open] as unknown as Flow<DialogState>;
    const same = (intent === 'proposal.start' && open === 'proposal') || (intent === 'draft_plan' && open === 'draft');
    if (!same) return { intent, replies: [{ text: say(this.content, 'flow_busy') }] };
    return { intent, replies: flow.alreadyHere ? [{ text: flow.alreadyHere(this.content) }] : [] };
  }

  /** A short, question-shaped text the classifier places confidently in a knowledge intent. */
  private isQuestion(text: string): boolean {
    const folded = normalize(text);
    if (folded.split(' ').length > MAX_QUESTION_WORDS) return false;
    if (!text.includes('?') && !QUESTION_START.test(folded) && !LATE_QUESTION.test(folded)) return false;
    const match = this.nlu.understand(text);
    return (match.source === 'classifier' || match.source === 'example') && INTERRUPTIBLE.has(match.intent);
  }

  /**
   * Notices the calendar brings, checked once a local day: when the draft consultation is open,
   * the authors of the proposals its commitments integrate are invited; the day before a work
   * table, the people with a place are reminded. The store remembers who got each, so a
   * restart never repeats one.
   */
  private async dailyNotices(now: Date): Promise<void> {
    const c = this.content;
    const today = localDate(now, c.consultation.timezone);
    if (today === this.dailyChecked) return;
    this.dailyChecked = today;
    const stage = c.consultation.stages.find((s) => s.id === 'draft_consultation');
    if (c.draftPlan && stage && stage.start <= today && today <= stage.end) {
      const invitations = c.draftPlan.commitments.flatMap((k) => k.origin.map((proposalId) => ({ proposalId, commitmentId: k.id })));
      if (invitations.length) await this.store.invite(invitations, now);
    }
    const tomorrow = new Date(Date.parse(`${today}T12:00:00Z`) + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const due = c.workTables.filter((t) => t.date === tomorrow).map((t) => t.id);
    if (due.length) await this.store.remind(due, now);
  }

  /**
   * Every answered question leaves its topic for a follow-up; without a sweep the sessions of
   * everyone who ever asked would stay (and the JSON store rewrites them all on each write).
   */
  private sweepContexts(now: Date): void {
    if (now.getTime() - this.contextsSwept < 60_000) return;
    this.contextsSwept = now.getTime();
    void this.store.dropSessions('context', new Date(now.getTime() - CONTEXT_TTL_MS)).catch((error: unknown) => this.log.error({ err: String(error) }, 'dropping expired contexts failed'));
  }

  private async notices(key: string): Promise<Reply[]> {
    if (!(await this.store.hasNotices(key))) return [];
    const notices = await this.store.takeNotices(key);
    return Promise.all(notices.map(async (n) => finishReply(noticeReply(this.content, n, 'proposalId' in n ? await this.store.get(n.proposalId) : undefined))));
  }
}

function emptyReply(content: Content): Reply {
  const help = content.intents.get('help')?.answer;
  return { text: say(content, 'empty_message'), ...(help?.options ? { options: help.options } : {}) };
}

/** Every reply on its way out: the options contract, and what follows a list as its own paragraph (src/text/lists.ts). */
function finishReply(reply: Reply): Reply {
  const checked = checkOptions(reply);
  return { ...checked, text: endListsWithBlankLine(checked.text) };
}

/** Last guard for the options contract every channel relies on. */
function checkOptions(reply: Reply): Reply {
  if (!reply.options) return reply;
  const options = reply.options.filter((o) => o.length > 0 && o.length <= MAX_OPTION_LENGTH).slice(0, MAX_OPTIONS);
  const { options: _dropped, ...rest } = reply;
  return options.length ? { ...rest, options } : rest;
}
