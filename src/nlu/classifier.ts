/**
 * The intent classifier: a logistic (softmax) model over Spanish features of the typo-corrected
 * word stems (see `features.ts`: stems, bigrams, first and last stem, length, and character
 * 4-grams that carry it over typos and word forms it never saw), trained on every intent's
 * examples and on out-of-scope ones (`none`), so it learns which words separate the domain from
 * small talk and other public services. Beside it, a nearest-example index (TF-IDF cosine) gives a second opinion.
 */
import { stemmerEs } from './natural.js';
import { words } from './normalize.js';
import { Vocabulary } from './vocabulary.js';
import { NeighbourIndex, type Neighbour } from './neighbours.js';
import { SoftmaxModel } from './softmax.js';
import { formFeatures, wordFeatures } from './features.js';
import { FeatureIds } from './sparse.js';
import type { ModelCache } from './model-cache.js';

/**
 * Function words that say nothing about the topic. Unlike `natural`'s Spanish list, question
 * words (qué, cómo, cuándo, quién, cuántos) and "no" stay: "cuándo" is what separates asking for
 * dates from asking how to take part. So do "mi", "mis", "tu" and "tus": "ver mis propuestas" is
 * not "mandar una propuesta" (cross-validation on the training files: 0.839 → 0.852 in scope).
 */
const STOPWORDS = new Set(
  (
    'a al ante con contra de del desde en entre hacia hasta para por segun sin sobre tras el la los las lo un una unos unas ' +
    'y e o u ni pero sino mas es son ser era fue esta estan este esto estos estas ese esa eso esos esas aquel se me te le les nos ' +
    'su sus yo ella ellos ellas usted ustedes nosotros muy ya tambien aqui ahi alli hay favor porfavor ' +
    'algo alguien alguna algun algunos bueno pues entonces osea oye hey eh ah ok vale si'
  ).split(' '),
);

export const OUT_OF_SCOPE = 'none';

export interface Classification {
  /** The most likely in-scope intent. */
  intent: string;
  /** Its probability, 0..1. */
  confidence: number;
  /** The second most likely in-scope intent and its probability, when there is one. */
  runnerUp?: { intent: string; confidence: number };
  /** Probability of being out of scope, 0..1. */
  outOfScope: number;
  /** Share of content words the training vocabulary knows (after typo correction), 0..1. */
  coverage: number;
  /** Number of content words seen. */
  contentWords: number;
  /** The closest training example; absent when it shares no feature with any. */
  nearest?: Neighbour;
}

export interface TrainingExample {
  intent: string;
  /** Already normalised text. */
  text: string;
}

const MAX_WORDS = 60;
const STEM_CACHE_LIMIT = 50_000;

export class IntentClassifier {
  private readonly model: SoftmaxModel;
  private readonly vocabulary: Vocabulary;
  private readonly index: NeighbourIndex;
  private readonly stems = new Map<string, string>();
  /** Each training text's stems, which the fact index reads again (a few arrays of shared strings). */
  private readonly trainingStems = new Map<string, string[]>();

  /** Trains on `examples`; the softmax model's weights come from `cache` when it holds them for these very examples. */
  constructor(examples: TrainingExample[], cache?: ModelCache) {
    const words = examples.map((e) => contentWords(e.text));
    // The domain's vocabulary: words of out-of-scope examples are no sign of being in scope.
    this.vocabulary = new Vocabulary(words.filter((_, i) => examples[i]!.intent !== OUT_OF_SCOPE).flat());
    // Examples are taken as written: correcting them towards the vocabulary would only blur
    // out-of-scope examples into the domain (and cost a search per unknown word).
    const analysed = examples.map((e, i) => {
      const stems = words[i]!.slice(0, MAX_WORDS).map((w) => this.stem(w));
      this.trainingStems.set(e.text, stems);
      return { label: e.intent, stems };
    });
    // One numbering for both models, each example's word features first and then its form
    // features: the nearest-example index reads each row's words only (character 4-grams would
    // make every example a neighbour of every other and quadruple the index, for no gain:
    // cross-validation 0.893 / 0.922 either way), the softmax model the whole row.
    const featureIds = new FeatureIds();
    const ids: number[] = [];
    const starts: number[] = [];
    const wordEnds: number[] = [];
    const ends: number[] = [];
    for (const { stems } of analysed) {
      starts.push(ids.length);
      featureIds.add(wordFeatures(stems), ids);
      wordEnds.push(ids.length);
      featureIds.add(formFeatures(stems), ids);
      ends.push(ids.length);
    }
    const rows = { ids: Int32Array.from(ids), starts: Int32Array.from(starts), labels: analysed.map((a) => a.label) };
    this.index = new NeighbourIndex(featureIds, { ...rows, ends: Int32Array.from(wordEnds) });
    this.model = new SoftmaxModel(featureIds, { ...rows, ends: Int32Array.from(ends) }, cache);
  }

  classify(normalized: string): Classification {
    const { stems, known, total } = this.analyse(normalized);
    const coverage = total === 0 ? 0 : known / total;
    const words = wordFeatures(stems);
    const nearest = this.index.nearest(words);
    const ranked = [...this.model.classify([...words, ...formFeatures(stems)])].sort((a, b) => b[1] - a[1]);
    const outOfScope = ranked.find(([label]) => label === OUT_OF_SCOPE)?.[1] ?? 0;
    const [top, second] = ranked.filter(([label]) => label !== OUT_OF_SCOPE);
    return {
      ...(nearest ? { nearest } : {}),
      intent: top?.[0] ?? OUT_OF_SCOPE,
      confidence: top?.[1] ?? 0,
      ...(second ? { runnerUp: { intent: second[0], confidence: second[1] } } : {}),
      outOfScope,
      coverage,
      contentWords: total,
    };
  }

  /**
   * The stems of a normalised text's content words: typo-corrected for a message, as written for
   * training text (correcting it would only cost a vocabulary search per unknown word).
   */
  stemsOf(normalized: string, correct = true): string[] {
    if (!correct) return this.trainingStems.get(normalized) ?? contentWords(normalized).slice(0, MAX_WORDS).map((w) => this.stem(w));
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
      // Every new word people send would stay for good: past the bound, start over.
      if (this.stems.size >= STEM_CACHE_LIMIT) this.stems.clear();
      this.stems.set(word, s);
    }
    return s;
  }
}

function contentWords(normalized: string): string[] {
  return words(normalized).filter((w) => !STOPWORDS.has(w));
}
