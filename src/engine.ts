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
import { createUnderstander, type Understander, type UnderstandOptions } from './nlu/understand.js';
import { cleanText, hasWords, normalize } from './nlu/normalize.js';
import { continueProposal, formCommand, startProposal, type ProposalState } from './dialog/proposal.js';
import { yesNo } from './dialog/validators.js';
import type { ErasureScope } from './types.js';
import {
  myDataReply,
  noticeReply,
  proposalList,
  proposalStatus,
  publicStatus,
  say,
  staticAnswer,
  submittedReply,
  timelineReply,
} from './answers/render.js';
import { formatDate, localDate, receptionState } from './answers/timeline.js';
import { KeyedQueue } from './keyed-queue.js';
import type { Store } from './store/store.js';
import {
  DIALOG_STATE_VERSION,
  MAX_MESSAGE_LENGTH,
  MAX_OPTION_LENGTH,
  MAX_OPTIONS,
  type Inbound,
  type IntentMatch,
  type IntentName,
  type Proposal,
  type ProposalStep,
  type Reply,
  type TurnResult,
} from './types.js';

/** Dialog state untouched for this long is dropped, with a notice, on the person's next message. */
export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

/** Intents a person may ask in the middle of the form; the pending question is asked again after. */
const INTERRUPTIBLE = new Set<IntentName>([
  'open_government', 'pillars', 'pillar.transparency', 'pillar.participation', 'pillar.accountability', 'pillar.innovation',
  'ogp', 'ogp.membership', 'ogp.local', 'action_plan', 'chile.plans', 'commitment', 'commitment.examples', 'forum',
  'participate', 'timeline', 'open_data', 'privacy', 'human',
]);

/** Steps whose answer is free text (not a choice, a yes/no or a summary command). */
const FREE_TEXT_STEPS = new Set<ProposalStep>(['title', 'problem', 'description', 'actors', 'components', 'institution', 'territory', 'name', 'organization']);

const MY_DATA = new Set(['mis datos', 'ver mis datos', 'que datos tienen de mi', 'que datos tienes de mi', 'que saben de mi']);

const QUESTION_START = /^(que|como|cuando|donde|quien|quienes|cual|cuales|cuanto|cuantos|cuantas|por que|porque|para que|hay|se puede|puedo|es|son)\b/;
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
  /** Keyed hashes of the people with notices waiting, by channel. */
  pendingNoticeKeys(): { channel: string; userKey: string }[];
  /** The keyed hash that stands for a channel user. */
  userKey(channel: string, userId: string): string;
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
  private readonly nlu: Understander;
  private readonly queue = new KeyedQueue();
  private readonly submittedListeners = new Set<(proposal: Proposal) => void>();

  constructor(content: Content, options: EngineOptions) {
    this.content = content;
    this.store = options.store;
    this.clock = options.clock ?? (() => new Date());
    this.log = options.logger ?? silentLogger;
    this.nlu = createUnderstander(content.intents, options.understand);
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

  onProposalSubmitted(listener: (proposal: Proposal) => void): () => void {
    this.submittedListeners.add(listener);
    return () => this.submittedListeners.delete(listener);
  }

  expectsFreeText(channel: string, userId: string): boolean {
    const state = this.store.session(this.store.userKey(channel, userId));
    return state?.form === 'proposal' && FREE_TEXT_STEPS.has(state.step);
  }

  handle(inbound: Inbound): Promise<TurnResult> {
    // String(): a careless channel must not be able to throw outside the turn's error boundary.
    const key = this.store.userKey(String(inbound.channel), String(inbound.userId));
    return this.queue.run(key, () => this.turn(inbound, key));
  }

  takeNotices(channel: string, userId: string): Promise<Reply[]> {
    const key = this.store.userKey(channel, userId);
    return this.queue.run(key, () => this.notices(key));
  }

  pendingNoticeKeys(): { channel: string; userKey: string }[] {
    const seen = new Map<string, { channel: string; userKey: string }>();
    for (const n of this.store.pendingNotices()) seen.set(n.userKey, { channel: n.channel, userKey: n.userKey });
    return [...seen.values()];
  }

  private async turn(inbound: Inbound, key: string): Promise<TurnResult> {
    const started = performance.now();
    const now = this.clock();
    // Notices taken from the store must reach the person even if the rest of the turn fails.
    let before: Reply[] = [];
    try {
      before = await this.notices(key);
      const result = await this.decide(inbound, key, now);
      const replies = [...before, ...result.replies].map(checkOptions);
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

    let state = this.store.session(key);
    if (state && (state.v !== DIALOG_STATE_VERSION || now.getTime() - Date.parse(state.updatedAt) > SESSION_TTL_MS)) {
      await this.store.setSession(key, undefined);
      state = undefined;
      prefix.push({ text: say(this.content, 'session_expired') });
    }

    if (state?.form === 'proposal') {
      // Empty and emoji-only answers too: the form re-asks its own question with the reason.
      const result = await this.proposalTurn(state, text, key, inbound.channel, now);
      return { intent: result.intent, replies: [...prefix, ...result.replies] };
    }
    if (state?.form === 'deletion') {
      const choice = erasureChoice(this.content, text);
      if (choice === 'unclear' && !state.asked) {
        await this.store.setSession(key, { ...state, asked: true, updatedAt: now.toISOString() });
        return { intent: null, replies: [...prefix, { text: say(this.content, 'deletion_unclear'), options: erasureOptions(this.content) }] };
      }
      await this.store.setSession(key, undefined);
      if (choice === 'keep') return { intent: null, replies: [...prefix, { text: say(this.content, 'deletion_kept') }] };
      if (choice !== 'unclear') {
        const count = await this.store.eraseUser(key, choice, now);
        this.log.info({ channel: inbound.channel, scope: choice, proposals: count }, 'user data erased');
        return { intent: null, replies: [...prefix, { text: say(this.content, choice === 'contact' ? 'deletion_done_contact' : 'deletion_done_withdraw', { count }) }] };
      }
      // Asked twice and still not a choice: the confirmation ends and the text is a new message.
    }

    if (!text || !hasWords(text)) return { intent: null, replies: [...prefix, emptyReply(this.content)] };

    const result = await this.answer(text, key, inbound.channel, now);
    return { intent: result.intent, replies: [...prefix, ...result.replies] };
  }

  /** A message outside any dialog: understand it and answer. */
  private async answer(text: string, key: string, channel: string, now: Date): Promise<TurnResult> {
    const c = this.content;
    const folded = normalize(text);
    if (MY_DATA.has(folded)) {
      return { intent: 'privacy', replies: [myDataReply(c, this.store.userData(key))] };
    }
    if (formCommand(folded) === 'cancel') return { intent: null, replies: [{ text: say(c, 'nothing_to_cancel') }] };
    const match = this.nlu.understand(text);
    const intent = match.intent;
    const file = c.intents.get(intent)!;
    switch (file.action) {
      case undefined:
        return { intent, replies: [staticAnswer(c, file.answer!)] };
      case 'timeline':
        return { intent, replies: [timelineReply(c, now)] };
      case 'proposal.status': {
        if (match.trackingNumber) {
          const p = this.store.get(match.trackingNumber);
          // Tracking numbers are sequential: whoever is not the author gets the public view.
          const reply = !p
            ? { text: say(c, 'status_not_found', { id: match.trackingNumber }), options: [c.messages.options.my_proposals] }
            : p.userKey === key
              ? proposalStatus(c, p)
              : publicStatus(c, p);
          return { intent, replies: [reply] };
        }
        return { intent, replies: [proposalList(c, this.store.byUser(key))] };
      }
      case 'proposal.start': {
        const reception = receptionState(c.consultation, now);
        if (reception.state === 'not_open') {
          return { intent, replies: [{ text: say(c, 'reception_not_open', { start: formatDate(reception.stage.start) }) }] };
        }
        if (reception.state === 'closed') {
          return { intent, replies: [{ text: say(c, 'reception_closed', { end: formatDate(reception.stage.end) }), options: [c.messages.options.my_proposals] }] };
        }
        const started = startProposal(c, now);
        await this.store.setSession(key, started.state);
        return { intent, replies: started.replies };
      }
      case 'data_deletion': {
        const data = this.store.userData(key);
        if (!data.proposals.length && !data.session && !data.notices.length) {
          return { intent, replies: [{ text: say(c, 'deletion_nothing') }] };
        }
        await this.store.setSession(key, { v: 1, form: 'deletion', updatedAt: now.toISOString() });
        return { intent, replies: [{ text: say(c, 'deletion_confirm', { count: data.proposals.length }), options: erasureOptions(c) }] };
      }
    }
  }

  private async proposalTurn(state: ProposalState, text: string, key: string, channel: string, now: Date): Promise<TurnResult> {
    const c = this.content;
    const outcome = continueProposal(c, state, text, this.isQuestion(text), now);
    switch (outcome.kind) {
      case 'continue':
        await this.store.setSession(key, outcome.state);
        return { intent: null, replies: outcome.replies };
      case 'cancelled':
        await this.store.setSession(key, undefined);
        return { intent: null, replies: outcome.replies };
      case 'interrupt': {
        const answered = await this.answer(text, key, channel, now);
        await this.store.setSession(key, outcome.state);
        return { intent: answered.intent, replies: [...answered.replies, { ...outcome.reask, text: `${say(c, 'resume')}\n\n${outcome.reask.text}` }] };
      }
      case 'submit': {
        // Reception may have closed while the person was writing.
        const reception = receptionState(c.consultation, now);
        if (reception.state !== 'open') {
          await this.store.setSession(key, undefined);
          return { intent: null, replies: [{ text: say(c, 'reception_closed', { end: formatDate(reception.stage.end) }) }] };
        }
        const { contact, ...fields } = outcome.proposal;
        let proposal;
        try {
          proposal = await this.store.submit(
            {
              ...fields,
              channel,
              userKey: key,
              ...(outcome.state.id ? { dialogId: outcome.state.id } : {}),
              ...(fields.consent && contact ? { contact: pickDefined({ name: contact.name, organization: contact.organization, email: contact.email }) } : {}),
            },
            now,
            Number(localDate(now, c.consultation.timezone).slice(0, 4)),
          );
        } catch (error) {
          this.log.error({ channel, code: error instanceof CabildoError ? error.code : 'UNEXPECTED' }, 'submission not stored');
          return { intent: null, replies: [{ text: say(c, 'submit_failed'), options: [c.messages.options.confirm, c.messages.options.cancel] }] };
        }
        await this.store.setSession(key, undefined);
        this.log.info({ channel, proposal: proposal.id }, 'proposal submitted');
        for (const listener of this.submittedListeners) {
          try {
            listener(proposal);
          } catch (error) {
            this.log.error({ channel, err: String(error) }, 'submission listener failed');
          }
        }
        return { intent: null, replies: [submittedReply(c, proposal, now)] };
      }
    }
  }

  /** A short, question-shaped text the classifier places confidently in a knowledge intent. */
  private isQuestion(text: string): boolean {
    const folded = normalize(text);
    if (folded.split(' ').length > MAX_QUESTION_WORDS) return false;
    if (!text.includes('?') && !QUESTION_START.test(folded)) return false;
    const match = this.nlu.understand(text);
    return (match.source === 'classifier' || match.source === 'example') && INTERRUPTIBLE.has(match.intent);
  }

  private async notices(key: string): Promise<Reply[]> {
    if (!this.store.hasNotices(key)) return [];
    const notices = await this.store.takeNotices(key);
    return notices.map((n) => noticeReply(this.content, n, this.store.get(n.proposalId)));
  }
}

/** "borrar mis datos": contact details only, proposals withdrawn too, or nothing. */
function erasureChoice(content: Content, text: string): ErasureScope | 'keep' | 'unclear' {
  const folded = normalize(text);
  const number = /^\s*([12])\s*[.)]?\s*$/.exec(text)?.[1];
  const o = content.messages.options;
  if (number === '1' || folded === normalize(o.erase_contact) || /\b(solo|solamente)\b.*\bcontacto\b/.test(folded)) return 'contact';
  if (number === '2' || folded === normalize(o.erase_withdraw) || /\bretira/.test(folded) || /\b(todo|todas)\b/.test(folded)) return 'withdraw';
  const no = yesNo(text);
  if ((no.ok && !no.value) || formCommand(folded) === 'cancel') return 'keep';
  return 'unclear';
}

function erasureOptions(content: Content): string[] {
  const o = content.messages.options;
  return [o.erase_contact, o.erase_withdraw, o.cancel];
}

function emptyReply(content: Content): Reply {
  const help = content.intents.get('help')?.answer;
  return { text: say(content, 'empty_message'), ...(help?.options ? { options: help.options } : {}) };
}

/** Last guard for the options contract every channel relies on. */
function checkOptions(reply: Reply): Reply {
  if (!reply.options) return reply;
  const options = reply.options.filter((o) => o.length > 0 && o.length <= MAX_OPTION_LENGTH).slice(0, MAX_OPTIONS);
  const { options: _dropped, ...rest } = reply;
  return options.length ? { ...rest, options } : rest;
}

function pickDefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
