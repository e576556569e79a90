/**
 * The context of the last answer: what it was about, kept in the person's state for a few
 * minutes so that a short follow-up ("y eso cuándo es?", "y después qué pasa?", "y en mi
 * comuna?", "dime más") is read against it. It is not a dialog: any other message replaces it.
 */
import type { Content } from '../content/load.js';
import { normalize } from '../nlu/normalize.js';
import type { DialogState, IntentName } from '../types.js';
import type { StageId } from '../content/schema.js';
import type { Flow } from './flow.js';

export type ContextState = Extract<DialogState, { form: 'context' }>;

/** How long a follow-up is read in the context of the last answer. */
export const CONTEXT_TTL_MS = 10 * 60 * 1000;

/** What a follow-up asks about the last topic. */
export type FollowUp = 'more' | 'when' | 'after' | 'place' | 'who';

/** Longest message read as a follow-up; longer ones are questions of their own. */
const MAX_FOLLOW_UP_WORDS = 7;

const MORE = /^(?:y )?(?:(?:dime|cuentame|explicame|quiero saber|quiero ver|ver|dame|necesito|algo) )?(?:un poco )?mas(?: (?:info|informacion|detalles?|sobre eso|de eso|por favor))*$|^(?:y )?que mas(?: (?:hay|me puedes decir|sabes))?$|^(?:amplia|profundiza|detalles?|mas detalles)$/;
const AFTER = /\b(?:despues|luego|siguiente|que sigue|que viene|y ahora que|que pasa ahi|y entonces)\b/;
const WHEN = /\b(?:cuando|fecha|fechas|plazo|que dia|hasta cuando|desde cuando)\b/;
const PLACE = /\b(?:mi (?:comuna|region|municipio|municipalidad|muni|ciudad|barrio|pueblo)|regiones|en region|donde vivo|en provincia)\b/;
const WHO = /\b(?:quien|quienes)\b/;
/** A follow-up leans on what came before: "y …", "eso", "entonces", or is only a question word. */
const LEANS_BACK = /^(?:y|e|pero|entonces|ya|ok|oka|bueno|ah)\b|\b(?:eso|esto|ese|esa|ahi|entonces)\b/;

/** A short message that leans on what came before ("y el último?", "y eso?"). */
export function leansBack(text: string): boolean {
  const folded = normalize(text);
  return folded.split(' ').length <= MAX_FOLLOW_UP_WORDS && LEANS_BACK.test(folded);
}

/** The follow-up a short message asks, or undefined when it is a question of its own. */
export function followUpOf(text: string): FollowUp | undefined {
  const folded = normalize(text);
  const words = folded.split(' ').filter(Boolean);
  if (!words.length || words.length > MAX_FOLLOW_UP_WORDS) return undefined;
  if (MORE.test(folded)) return 'more';
  const bare = words.length <= 2;
  if (!LEANS_BACK.test(folded) && !bare) return undefined;
  if (AFTER.test(folded)) return 'after';
  if (PLACE.test(folded)) return 'place';
  if (WHEN.test(folded)) return 'when';
  if (WHO.test(folded)) return 'who';
  return undefined;
}

/** The context still holds (younger than {@link CONTEXT_TTL_MS}). */
export function contextLive(state: ContextState | undefined, now: Date): state is ContextState {
  return !!state && now.getTime() - Date.parse(state.updatedAt) <= CONTEXT_TTL_MS;
}

export function contextState(topic: IntentName, level: ContextState['level'], now: Date, extra: { fact?: string; choices?: IntentName[]; stage?: StageId } = {}): ContextState {
  return { v: 1, form: 'context', topic, level, ...(extra.fact ? { fact: extra.fact } : {}), ...(extra.choices ? { choices: extra.choices } : {}), ...(extra.stage ? { stage: extra.stage } : {}), updatedAt: now.toISOString() };
}

/**
 * The context as a flow, so it lives in the person's state beside the real dialogs. The engine
 * reads it before any flow runs; this flow never holds a person (any text leaves it).
 */
export const contextFlow: Flow<ContextState> = {
  name: 'context',
  version: 1,
  async start() {
    return { kind: 'done', replies: [] };
  },
  async next() {
    return { kind: 'leave' };
  },
  reask(content: Content) {
    return { text: content.messages.messages.resume };
  },
  cancelled(content: Content) {
    return { text: content.messages.messages.nothing_to_cancel };
  },
};
