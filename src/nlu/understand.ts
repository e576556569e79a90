/**
 * Understanding one message: certain rules first, then the classifier, then the out-of-scope
 * guard, which answers `none` rather than risk a wrong topic.
 */
import type { IntentFile } from '../content/schema.js';
import { INTENT_NAMES, MAX_MESSAGE_LENGTH, type IntentMatch, type IntentName } from '../types.js';
import { IntentClassifier } from './classifier.js';
import { cleanText, normalize, normalizeContent } from './normalize.js';
import { findTrackingNumber } from './rules.js';
import type { ModelCache } from './model-cache.js';

export interface UnderstandOptions {
  /** Below this probability of the best intent the answer is `none`. */
  minConfidence?: number;
  /** Below this share of known words the message is out of the domain's vocabulary. */
  minCoverage?: number;
  /** When the closest example is out of scope, the best intent needs at least this probability. */
  minConfidenceNearNone?: number;
  /** Where trained weights are kept between starts (see `model-cache.ts`); without it, every start trains. */
  modelCache?: ModelCache;
}

/**
 * Chosen by 5-fold cross-validation on the training examples (intent files and fact questions),
 * never on a held-out set. Confidence 0.2 to 0.35, coverage 0.3 to 0.6 and 0.5 to 0.7 near an
 * out-of-scope example were tried; all within a point of each other except coverage 0.6, which
 * traded two points in scope for one and a half out of scope.
 */
const DEFAULT_MIN_CONFIDENCE = 0.25;
const DEFAULT_MIN_COVERAGE = 0.5;
const DEFAULT_MIN_CONFIDENCE_NEAR_NONE = 0.6;

export interface Understander {
  understand(text: string): IntentMatch;
  /** Word stems of a text as the classifier sees it (for fact retrieval); typo-corrected unless `asWritten` (the content's own texts, never a message). */
  stems(text: string, asWritten?: boolean): string[];
}

/** Extra labelled examples beside the intent files: the questions each fact answers (`data/knowledge.yaml`). */
export interface ExtraExample {
  intent: IntentName;
  text: string;
}

/** The questions of the fact answers, as training examples of their intents. */
export function factQuestions(answers: readonly { intent: IntentName; questions: string[] }[]): ExtraExample[] {
  return answers.flatMap((a) => a.questions.map((text) => ({ intent: a.intent, text })));
}

/** Trains the classifier on the intents' examples (and the facts' questions) and returns the understanding function. */
export function createUnderstander(intents: Map<IntentName, IntentFile>, options: UnderstandOptions = {}, extra: ExtraExample[] = []): Understander {
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const minCoverage = options.minCoverage ?? DEFAULT_MIN_COVERAGE;
  const minConfidenceNearNone = options.minConfidenceNearNone ?? DEFAULT_MIN_CONFIDENCE_NEAR_NONE;
  const own = [...intents.values()].flatMap((f) => f.examples.map((text) => ({ intent: f.intent, text: normalizeContent(text) })));
  // A fact question that repeats an intent example would count twice.
  const seen = new Set(own.map((e) => e.text));
  const examples = own.concat(extra.map((e) => ({ intent: e.intent, text: normalizeContent(e.text) })).filter((e) => !seen.has(e.text) && seen.add(e.text)));
  const classifier = new IntentClassifier(examples, options.modelCache);
  // A message that is one of the examples (after normalising) means that example's intent:
  // option labels and stock phrases never depend on the classifier's mood.
  const memorised = new Map(examples.map((e) => [e.text, e.intent]));
  const known = new Set<string>(INTENT_NAMES);

  return {
    stems: (raw: string, asWritten = false) =>
      asWritten ? classifier.stemsOf(normalizeContent(raw), false) : classifier.stemsOf(normalize(cleanText(raw).slice(0, MAX_MESSAGE_LENGTH))),
    understand(raw: string): IntentMatch {
      const text = cleanText(raw).slice(0, MAX_MESSAGE_LENGTH);
      const trackingNumber = findTrackingNumber(text);
      if (trackingNumber) return { intent: 'proposal.status', confidence: 1, source: 'rule', trackingNumber };
      const normalized = normalize(text);
      const exact = memorised.get(normalized);
      if (exact) return { intent: exact, confidence: 1, source: 'example' };
      const c = classifier.classify(normalized);
      if (c.contentWords === 0 || c.coverage < minCoverage) {
        return { intent: 'none', confidence: 1 - c.coverage, source: 'out_of_scope' };
      }
      // The closest example being out of scope outweighs a hesitant model.
      const nearNone = c.nearest?.label === 'none' && c.confidence < minConfidenceNearNone;
      if (!known.has(c.intent) || c.outOfScope >= c.confidence || c.confidence < minConfidence || nearNone) {
        return { intent: 'none', confidence: Math.max(c.outOfScope, 1 - c.confidence), source: 'out_of_scope' };
      }
      const runnerUp = c.runnerUp && known.has(c.runnerUp.intent) ? { runnerUp: { intent: c.runnerUp.intent as IntentName, confidence: c.runnerUp.confidence } } : {};
      return { intent: c.intent as IntentName, confidence: c.confidence, source: 'classifier', ...runnerUp };
    },
  };
}
