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
import { NeighbourIndex, type Neighbour } from './neighbours.js';

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

export interface Classification {
  /** The most likely in-scope intent. */
  intent: string;
  /** Its share of the intent model's normalised scores, 0..1. */
  confidence: number;
  /** The second most likely in-scope intent and its share, when there is one. */
  runnerUp?: { intent: string; confidence: number };
  /** Share the scope model gives to out-of-scope, 0..1. */
  outOfScope: number;
  /** Share of content words the training vocabulary knows (after typo correction), 0..1. */
  coverage: number;
  /** Number of content words seen. */
  contentWords: number;
  /** The closest training example; absent when no feature is known. */
  nearest?: Neighbour;
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
  private readonly index: NeighbourIndex;
  private readonly stems = new Map<string, string>();

  constructor(examples: TrainingExample[], smoothing = 0.1) {
    // The domain's vocabulary: words of out-of-scope examples are no sign of being in scope.
    this.vocabulary = new Vocabulary(examples.filter((e) => e.intent !== OUT_OF_SCOPE).flatMap((e) => contentWords(e.text)));
    this.scope = new Model(smoothing);
    this.intents = new Model(smoothing);
    // Examples are taken as written: correcting them towards the vocabulary would only blur
    // out-of-scope examples into the domain (and cost a search per unknown word).
    const analysed = examples.map((e) => {
      const stems = contentWords(e.text).slice(0, MAX_WORDS).map((w) => this.stem(w));
      return { intent: e.intent, words: wordFeatures(stems), chars: charFeatures(stems) };
    });
    this.index = new NeighbourIndex(analysed.map((a) => ({ label: a.intent, features: a.chars })));
    for (const { intent, words, chars } of analysed) {
      this.scope.add(words, intent);
      if (intent !== OUT_OF_SCOPE) this.intents.add(chars, intent);
    }
  }

  classify(normalized: string): Classification {
    const { stems, known, total } = this.analyse(normalized);
    const coverage = total === 0 ? 0 : known / total;
    const chars = charFeatures(stems);
    const scope = this.scope.scores(wordFeatures(stems));
    const intent = this.intents.scores(chars);
    const nearest = this.index.nearest(chars);
    const near = nearest ? { nearest } : {};
    if (!intent) return { intent: OUT_OF_SCOPE, confidence: 0, outOfScope: 1, coverage, contentWords: total, ...near };
    return {
      ...near,
      intent: intent.top,
      confidence: intent.share(intent.top),
      ...(intent.second ? { runnerUp: { intent: intent.second, confidence: intent.share(intent.second) } } : {}),
      outOfScope: scope ? scope.share(OUT_OF_SCOPE) : 1,
      coverage,
      contentWords: total,
    };
  }

  /**
   * The stems of a normalised text's content words: typo-corrected for a message, as written for
   * training text (correcting it would only cost a vocabulary search per unknown word).
   */
  stemsOf(normalized: string, correct = true): string[] {
    if (!correct) return contentWords(normalized).slice(0, MAX_WORDS).map((w) => this.stem(w));
    return this.analyse(normalized).stems;
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

  scores(features: string[]): { top: string; second?: string; share(label: string): number } | undefined {
    // A feature no class has seen scales every class alike in theory, but smoothing makes it
    // favour big classes; it carries no evidence, so it is left out.
    const seen = features.filter((f) => this.known.has(f)).slice(0, MAX_FEATURES);
    if (!seen.length) return undefined;
    const ranked = this.bayes.getClassifications(seen);
    const sum = ranked.reduce((s, c) => s + c.value, 0);
    const byLabel = new Map(ranked.map((c) => [c.label, c.value]));
    return { top: ranked[0]!.label, ...(ranked[1] ? { second: ranked[1].label } : {}), share: (label) => (sum > 0 ? (byLabel.get(label) ?? 0) / sum : 0) };
  }
}

function wordFeatures(stems: string[]): string[] {
  const features = new Set(stems);
  for (let i = 1; i < stems.length; i++) features.add(`${stems[i - 1]}_${stems[i]}`);
  return [...features];
}

function charFeatures(stems: string[]): string[] {
  const features = new Set(wordFeatures(stems));
  for (const stem of stems) {
    const padded = `<${stem}>`;
    for (let i = 0; i + CHAR_GRAM <= padded.length; i++) features.add(`#${padded.slice(i, i + CHAR_GRAM)}`);
  }
  return [...features];
}

function contentWords(normalized: string): string[] {
  return words(normalized).filter((w) => !STOPWORDS.has(w));
}
