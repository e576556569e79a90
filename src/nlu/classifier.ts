/**
 * The intent classifier, two naive Bayes models from `natural` over Spanish features:
 * - the scope model sees typo-corrected word stems and stem bigrams, and knows the `none`
 *   class (out-of-scope examples): it says whether a message belongs to the domain at all;
 * - the intent model also sees character 4-grams of the stems, which carry it over typos and
 *   word forms it never saw, and knows only in-scope intents: it says which one.
 * Character n-grams alone blur the line with out-of-scope text that shares word pieces with
 * the domain, hence the split.
 */
import { SparseBayes, stemmerEs, type BayesModel } from './natural.js';
import { words } from './normalize.js';
import { Vocabulary } from './vocabulary.js';

/**
 * Function words that say nothing about the topic. Unlike `natural`'s Spanish list, question
 * words (qué, cómo, cuándo, quién, cuántos) and "no" stay: "cuándo" is what separates asking for
 * dates from asking how to take part.
 */
const STOPWORDS = new Set(
  (
    'a al ante con contra de del desde en entre hacia hasta para por segun sin sobre tras el la los las lo un una unos unas ' +
    'y e o u ni pero sino mas es son ser era fue esta estan este esto estos estas ese esa eso esos esas aquel se me te le les nos ' +
    'mi mis tu tus su sus yo ella ellos ellas usted ustedes nosotros muy ya tambien aqui ahi alli hay favor porfavor ' +
    'algo alguien alguna algun algunos bueno pues entonces osea oye hey eh ah ok vale si'
  ).split(' '),
);

export const OUT_OF_SCOPE = 'none';
const CHAR_GRAM = 4;
/** Share of a topic word's in-scope uses that its two main intents must hold. */
const TOPIC_SHARE = 0.6;

export interface Classification {
  /** The most likely in-scope intent. */
  intent: string;
  /** Its share of the intent model's normalised scores, 0..1. */
  confidence: number;
  /** Share the scope model gives to out-of-scope, 0..1. */
  outOfScope: number;
  /** Share of content words the training vocabulary knows (after typo correction), 0..1. */
  coverage: number;
  /** Number of content words seen. */
  contentWords: number;
  /** Content words that are topic words of some in-scope intent. */
  topicWords: number;
}

export interface TrainingExample {
  intent: string;
  /** Already normalised text. */
  text: string;
}

const MAX_WORDS = 60;
/** Longest feature list scored; keeps Bayes products away from underflow on very long texts. */
const MAX_FEATURES = 80;

export class IntentClassifier {
  private readonly scope: Model;
  private readonly intents: Model;
  private readonly vocabulary: Vocabulary;
  private readonly stems = new Map<string, string>();
  private readonly topics = new Set<string>();

  constructor(examples: TrainingExample[], smoothing = 0.1) {
    // The domain's vocabulary: words of out-of-scope examples are no sign of being in scope.
    this.vocabulary = new Vocabulary(examples.filter((e) => e.intent !== OUT_OF_SCOPE).flatMap((e) => contentWords(e.text)));
    this.scope = new Model(smoothing);
    this.intents = new Model(smoothing);
    for (const e of examples) {
      const { stems } = this.analyse(e.text);
      this.scope.add(wordFeatures(stems), e.intent);
      if (e.intent !== OUT_OF_SCOPE) this.intents.add(charFeatures(stems), e.intent);
    }
    for (const stem of topicStems(examples.map((e) => ({ intent: e.intent, stems: this.analyse(e.text).stems })))) this.topics.add(stem);
  }

  classify(normalized: string): Classification {
    const { stems, known, total } = this.analyse(normalized);
    const coverage = total === 0 ? 0 : known / total;
    const scope = this.scope.scores(wordFeatures(stems));
    const intent = this.intents.scores(charFeatures(stems));
    const topicWords = stems.filter((s) => this.topics.has(s)).length;
    if (!intent) return { intent: OUT_OF_SCOPE, confidence: 0, outOfScope: 1, coverage, contentWords: total, topicWords };
    return {
      topicWords,
      intent: intent.top,
      confidence: intent.share(intent.top),
      outOfScope: scope ? scope.share(OUT_OF_SCOPE) : 1,
      coverage,
      contentWords: total,
    };
  }

  private analyse(normalized: string): { stems: string[]; known: number; total: number } {
    const stems: string[] = [];
    let known = 0;
    // The first words carry the question; reading a 20,000-character message whole would only cost time.
    const content = contentWords(normalized).slice(0, MAX_WORDS);
    for (const word of content) {
      const resolved = this.vocabulary.resolve(word);
      if (resolved !== null) known++;
      stems.push(this.stem(resolved ?? word));
    }
    return { stems, known, total: content.length };
  }

  private stem(word: string): string {
    let s = this.stems.get(word);
    if (s === undefined) {
      s = stemmerEs.stem(word);
      this.stems.set(word, s);
    }
    return s;
  }
}

/** A Bayes model that scores only features seen in training, with scores normalised to shares. */
class Model {
  private readonly bayes: BayesModel;
  private readonly known = new Set<string>();

  constructor(smoothing: number) {
    this.bayes = new SparseBayes(smoothing);
  }

  add(features: string[], label: string): void {
    if (!features.length) return;
    for (const f of features) this.known.add(f);
    this.bayes.addDocument(features, label);
  }

  scores(features: string[]): { top: string; share(label: string): number } | undefined {
    // A feature no class has seen scales every class alike in theory, but smoothing makes it
    // favour big classes; it carries no evidence, so it is left out.
    const seen = features.filter((f) => this.known.has(f)).slice(0, MAX_FEATURES);
    if (!seen.length) return undefined;
    const ranked = this.bayes.getClassifications(seen);
    const sum = ranked.reduce((s, c) => s + c.value, 0);
    const byLabel = new Map(ranked.map((c) => [c.label, c.value]));
    return { top: ranked[0]!.label, share: (label) => (sum > 0 ? (byLabel.get(label) ?? 0) / sum : 0) };
  }
}

/**
 * Topic words: stems that point to a few in-scope intents (most of their uses in one or two)
 * and are rare out of scope. "transparencia", "compromiso", "propuesta" are; "cuántos", "dónde",
 * "puedo" are not, however often they appear. An in-scope answer needs at least one.
 */
function topicStems(examples: { intent: string; stems: string[] }[]): string[] {
  const uses = new Map<string, Map<string, number>>();
  for (const e of examples) {
    for (const stem of new Set(e.stems)) {
      const byIntent = uses.get(stem) ?? new Map<string, number>();
      byIntent.set(e.intent, (byIntent.get(e.intent) ?? 0) + 1);
      uses.set(stem, byIntent);
    }
  }
  const topics: string[] = [];
  for (const [stem, byIntent] of uses) {
    const outside = byIntent.get(OUT_OF_SCOPE) ?? 0;
    const inside = [...byIntent].filter(([i]) => i !== OUT_OF_SCOPE).map(([, n]) => n).sort((a, b) => b - a);
    const total = inside.reduce((a, b) => a + b, 0);
    if (total === 0 || outside * 2 > total) continue;
    if ((inside[0]! + (inside[1] ?? 0)) / total >= TOPIC_SHARE) topics.push(stem);
  }
  return topics;
}

function wordFeatures(stems: string[]): string[] {
  const features = new Set(stems);
  for (let i = 1; i < stems.length; i++) features.add(`${stems[i - 1]}_${stems[i]}`);
  return [...features];
}

function charFeatures(stems: string[]): string[] {
  const features = new Set(stems);
  for (const stem of stems) {
    const padded = `<${stem}>`;
    for (let i = 0; i + CHAR_GRAM <= padded.length; i++) features.add(`#${padded.slice(i, i + CHAR_GRAM)}`);
  }
  return [...features];
}

function contentWords(normalized: string): string[] {
  return words(normalized).filter((w) => !STOPWORDS.has(w));
}
