/**
 * What a question asks about, within its intent: one fact answer or the topic's overview. For
 * each intent, the intent's own examples (the overview) and the questions and wording of its fact
 * answers go into one TF-IDF index over typo-corrected stems and stem bigrams; the closest fact
 * question against the closest overview example decides. A precise question ("desde cuándo está
 * Chile en OGP") lands on its fact, a general one ("qué es OGP") on the overview. When the intent
 * holds no fact that fits, one index over every fact may still find one that fits closely (the
 * intent was a near miss: "en qué mes fueron las mesas de 2020" is about the 2020 calendar, not
 * today's work tables). One inverted-index lookup each: microseconds.
 */
import type { FactAnswer } from '../content/schema.js';
import type { IntentName } from '../types.js';
import { NeighbourIndex } from './neighbours.js';
import { stemBigrams } from './features.js';

/** Label of the intent's own examples: the question is about the topic as a whole. */
const OVERVIEW = '';
/** Below this cosine the nearest fact question is too far to trust; the overview answers. */
const MIN_SIMILARITY = 0.25;
/**
 * A fact answers when its nearest question is at most this much further than the nearest
 * overview example: a fact given for a general question still leads to the overview ("Ver
 * más"), an overview given for a precise question may not hold the answer at all. In 5-fold
 * cross-validation on the training files, 0.1 gives 0.806 of fact questions their fact and 0.861
 * of intent examples the overview (0 gave 0.739 and 0.915; 0.15 gave 0.822 and 0.834).
 */
const FACT_MARGIN = 0.1;
/** A fact of another intent answers only when this close (the classifier's intent had none that fits). */
const MIN_GLOBAL_SIMILARITY = 0.5;

export class FactIndex {
  private readonly byIntent = new Map<IntentName, NeighbourIndex>();
  private readonly global: NeighbourIndex;
  private readonly answers = new Map<string, FactAnswer>();

  /**
   * @param intents each intent's own examples
   * @param answers the fact answers, with their wording filled in (facts in place of placeholders)
   * @param stems the classifier's analysis of a text (stems; typo-corrected unless `asWritten`)
   */
  constructor(intents: Map<IntentName, string[]>, answers: { answer: FactAnswer; wording: string }[], private readonly stems: (text: string, asWritten?: boolean) => string[]) {
    const docs = new Map<IntentName, { label: string; features: string[] }[]>();
    const all: { label: string; features: string[] }[] = [];
    for (const { answer: a, wording } of answers) {
      this.answers.set(a.id, a);
      const list = docs.get(a.intent) ?? [];
      // The wording too: a question may name what the answer says ("observadores", "prórroga").
      for (const q of [...a.questions, wording]) {
        const doc = { label: a.id, features: stemBigrams(stems(q, true)) };
        list.push(doc);
        all.push(doc);
      }
      docs.set(a.intent, list);
    }
    for (const [intent, examples] of intents) {
      const own = examples.map((e) => ({ label: OVERVIEW, features: stemBigrams(stems(e, true)) }));
      all.push(...own);
      const list = docs.get(intent);
      if (list) this.byIntent.set(intent, NeighbourIndex.of([...list, ...own]));
    }
    this.global = NeighbourIndex.of(all);
  }

  /** The fact answer a text asks for (within its intent first), or undefined for the intent's overview. */
  find(intent: IntentName, text: string): FactAnswer | undefined {
    const query = stemBigrams(this.stems(text));
    const near = this.byIntent.get(intent)?.nearestByLabel(query) ?? new Map<string, number>();
    const overview = near.get(OVERVIEW) ?? 0;
    near.delete(OVERVIEW);
    const [fact, similarity] = [...near].reduce((a, b) => (b[1] > a[1] ? b : a), ['', 0]);
    if (fact && similarity >= MIN_SIMILARITY && similarity >= overview - FACT_MARGIN) return this.answers.get(fact);
    // Another intent's fact, when it is the closest of all; this intent's own just lost to its overview.
    const elsewhere = this.global.nearest(query);
    const other = elsewhere && elsewhere.similarity >= MIN_GLOBAL_SIMILARITY ? this.answers.get(elsewhere.label) : undefined;
    return other && other.intent !== intent ? other : undefined;
  }

  get(id: string): FactAnswer | undefined {
    return this.answers.get(id);
  }
}

