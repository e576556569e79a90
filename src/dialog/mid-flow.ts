/**
 * What a message is when it arrives in the middle of a flow, before the flow reads it as an
 * answer: a person coming back ("hola", "¿en qué iba?", the front end's opening "hola"), a
 * question about the form itself ("¿qué tipo de problema tengo que poner?"), or a command that
 * works anywhere ("mis propuestas", "quiero mandar otra propuesta"). None of them is ever an
 * answer, and none counts as a failed try. Pure: the engine passes its understanding in.
 */
import type { Content } from '../content/load.js';
import type { DialogState, IntentMatch, IntentName, Reply } from '../types.js';
import type { Flow } from './flow.js';

export type MidFlowMessage =
  /** Greeting or "where was I": welcome back, show where the person is, ask again. */
  | { kind: 'coming_back' }
  /** A question about what to write: help for the current question, then ask it again. */
  | { kind: 'form_question' }
  /** A command that works anywhere: answer it, then ask the pending question again. */
  | { kind: 'command' };

/** Greeting words a returning person opens with (normalised). */
const GREETING = /^(hola+|ola|holi|buenas|buenos dias|buen dia|buenas tardes|buenas noches|wena+s?|alo|hey|saludos)\b/;
/** "Where was I", "I'm back", "let's go on" (normalised), alone or after a greeting. */
const WHERE_WAS_I =
  /^(de nuevo|otra vez|nuevamente|volvi|ya volvi|aqui estoy|estoy de vuelta|en que (iba|estaba|quede|quedamos)|donde (iba|estaba|quede|quedamos)|(en )?que (me )?faltaba|que me falta|seguir|sigamos|continuar|continuemos|retomar|retomemos)$/;

/**
 * Cues that a question is about the form ("what do I put here"), not a knowledge question or an
 * answer. Only read in question-shaped messages, except the unmistakable ones in {@link ALWAYS_META}.
 */
const META =
  /\b(tengo que|hay que|debo|deberia|puedo|se puede|necesito) (poner|escribir|responder|contestar|decir|colocar|elegir|agregar|incluir)\b|\bque (pongo|escribo|respondo|contesto|coloco|elijo|digo)\b|\bque (significa|quiere decir) (esto|eso|esta pregunta|la pregunta)\b|\ba que (te refieres|se refiere|refiere)\b|\bcomo (respondo|contesto|lo escribo|lo pongo|se responde|se llena)\b|\b(un|otro|algun) ejemplo\b|\bque va (aqui|aca|ahi)\b|\b(no entiendo|no entendi) (la|esta|esa) pregunta\b|\bque me (pides|preguntas|estas preguntando)\b|\bque (es lo que )?(pide|pregunta) (esto|esta pregunta)\b/;
const ALWAYS_META = /^(no entiendo|no entendi|no se que (poner|escribir|responder)|no entiendo (la|esta|esa) pregunta|que pongo|que escribo|que pongo aqui|que escribo aqui|como respondo|dame un ejemplo|un ejemplo)$/;
const QUESTION_WORD = /^(y |pero |o sea |entonces |oye |disculpa |perdon )?(que|como|cuando|donde|quien|quienes|cual|cuales|cuanto|cuantos|cuantas|por que|porque|para que|hay|se puede|puedo|debo|tengo|es|son|necesito)\b/;
/** A question about the form is short; a long text is an answer, even phrased as a question. */
const MAX_META_WORDS = 30;

/** Commands recognised by their exact wording (normalised), answered by the engine as outside a flow. */
const COMMANDS = new Set([
  'mis propuestas', 'ver mis propuestas', 'mi propuesta', 'estado de mi propuesta', 'estado de mis propuestas',
  'mis inscripciones', 'ver mis inscripciones', 'mi inscripcion', 'mis mesas',
  'mis opiniones', 'ver mis opiniones', 'que opine', 'mis votos',
]);
/** Intents that are commands, when the understanding is certain (an example, a tracking number). */
const COMMAND_INTENTS = new Set<IntentName>(['proposal.status', 'proposal.start', 'draft_plan']);
/** A person asking to do something ("quiero mandar otra propuesta"), not a field's answer. */
const REQUEST = /^(quiero|quisiera|me gustaria|deseo|necesito|puedo|como|otra)\b/;
const MAX_COMMAND_WORDS = 7;
/**
 * How a command starts (or a tracking number's digits): only such texts are run through the
 * classifier, which keeps the answers to a form as cheap as they were.
 */
const COMMAND_CUE = /^(quiero|quisiera|me gustaria|deseo|necesito|puedo|como|otra|otro|mis?|ver|estado|enviar|mandar|presentar|hacer|opinar|seguimiento|consultar|revisar|proponer|ga)\b/;
/** Classifier confidence a short request needs to be taken as a command. */
const MIN_COMMAND_CONFIDENCE = 0.9;

/** True for a greeting, "¿en qué iba?", or both ("hola, en qué iba"). */
export function isComingBack(folded: string): boolean {
  if (!folded) return false;
  if (WHERE_WAS_I.test(folded)) return true;
  const greeting = GREETING.exec(folded);
  if (!greeting) return false;
  const rest = folded.slice(greeting[0].length).trim();
  return rest === '' || WHERE_WAS_I.test(rest) || /^(de nuevo|otra vez|que tal|como estas)$/.test(rest);
}

/** True for a question about the form itself ("pero qué tipo de problema tengo que poner?"). */
export function isFormQuestion(raw: string, folded: string): boolean {
  if (!folded || folded.split(' ').length > MAX_META_WORDS) return false;
  if (ALWAYS_META.test(folded)) return true;
  const questionShaped = raw.includes('?') || raw.includes('¿') || QUESTION_WORD.test(folded);
  return questionShaped && META.test(folded);
}

/**
 * Classifies a message that arrives mid-flow; undefined when it is for the flow to read.
 * `understand` is called only when the wording alone does not decide.
 */
export function midFlowMessage(raw: string, folded: string, understand: (text: string) => IntentMatch): MidFlowMessage | undefined {
  if (isComingBack(folded)) return { kind: 'coming_back' };
  if (isFormQuestion(raw, folded)) return { kind: 'form_question' };
  if (COMMANDS.has(folded)) return { kind: 'command' };
  const words = folded ? folded.split(' ').length : 0;
  if (!words || words > MAX_COMMAND_WORDS || !(COMMAND_CUE.test(folded) || /\d/.test(raw))) return undefined;
  const match = understand(raw);
  if (!COMMAND_INTENTS.has(match.intent)) return undefined;
  if (match.source === 'rule' || match.source === 'example') return { kind: 'command' };
  if (match.source === 'classifier' && match.confidence >= MIN_COMMAND_CONFIDENCE && REQUEST.test(folded)) return { kind: 'command' };
  return undefined;
}

/** The flow's pending question after something else was answered, with the flow's own "let's go on" line. */
export function resumed<S extends DialogState>(content: Content, flow: Flow<S>, state: S): Reply {
  const question = flow.reask(content, state);
  const line = flow.resumeText?.(content) ?? content.messages.messages.resume;
  return { ...question, text: `${line}\n\n${question.text}` };
}
