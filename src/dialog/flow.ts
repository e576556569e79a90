/**
 * A flow owns one conversation (the proposal form, "borrar mis datos", and those to come):
 * its own versioned state, a way to start and a way to go on with the person's text. The
 * engine finds the flow named in the person's state and dispatches to it; what every flow
 * shares (the per-person queue, expiry, cancel, answering a question mid-flow, notices, the
 * error boundary) stays in the engine, once.
 */
import type { Content } from '../content/load.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/port.js';
import type { DialogState, Proposal, Reply } from '../types.js';

/** What a flow sees of the turn. */
export interface FlowContext {
  content: Content;
  store: Store;
  /** The person's keyed hash, and the channel they write on. */
  userKey: string;
  channel: string;
  now: Date;
  log: Logger;
  /** True when the text is a short knowledge question the engine can answer mid-flow. */
  isQuestion(text: string): boolean;
  /** Tells the engine's listeners (staff announcements) that a proposal is on disk. */
  proposalSubmitted(proposal: Proposal): void;
  /**
   * The flow left open while this message is answered (a question or a command mid-flow):
   * answers then offer nothing that would start it again, and no other flow is started.
   */
  open?: DialogState['form'];
}

export type Step<S> =
  /** Save `state` and send `replies`. */
  | { kind: 'continue'; state: S; replies: Reply[] }
  /** The flow is over (or never began): clear the state and send `replies`. */
  | { kind: 'done'; replies: Reply[] }
  /** The text is a question: the engine answers it, saves `state`, then sends `reask`. */
  | { kind: 'interrupt'; state: S; reask: Reply }
  /** The text is not for this flow: clear the state and handle it as a new message. */
  | { kind: 'leave' };

export interface Flow<S extends DialogState> {
  /** Stored in the person's state (`form`), so the engine finds the flow again. */
  name: S['form'];
  /** A saved state with another version is dropped, with a notice, instead of being misread. */
  version: S['v'];
  start(ctx: FlowContext): Promise<Step<S>>;
  next(ctx: FlowContext, state: S, text: string): Promise<Step<S>>;
  /** The pending question, asked again (after a command answered mid-flow). */
  reask(content: Content, state: S): Reply;
  /** What the person is told when they cancel. */
  cancelled(content: Content): Reply;
  /** Whether the state waits for a free-text answer (channels may join split messages first). */
  expectsFreeText?(state: S): boolean;
  /**
   * A person coming back to the open flow ("hola", "¿en qué iba?", a front end's opening
   * message): where they are and the pending question. A flow that has it also gets the other
   * mid-flow messages (see mid-flow.ts) handled by the engine: help for a question about the
   * form, and commands answered before the pending question is asked again.
   */
  welcomeBack?(content: Content, state: S): Reply;
  /** Help for the pending question (what it expects, an example), with the question; defaults to `reask`. */
  fieldHelp?(content: Content, state: S): Reply;
  /** "cancelar": the flow decides (back to a summary, a confirmation); without it the flow ends with `cancelled`. */
  cancel?(ctx: FlowContext, state: S): Step<S>;
  /** What a person who asks to start this same flow again, mid-flow, is told before the pending question. */
  alreadyHere?(content: Content): string;
  /** The line before the pending question when the flow goes on after something else; defaults to `resume`. */
  resumeText?(content: Content): string;
}
