/**
 * The parts of `natural` Cabildo uses, loaded module by module. Importing the package root
 * would read `./.env`, print dotenv lines to stdout and load database clients; named ESM
 * imports fail at run time, so this goes through `require`.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Stemmer {
  stem(token: string): string;
}
interface Tokenizer {
  tokenize(text: string): string[];
}
/** `natural`'s BayesClassifier, fed with feature lists we compute (so its English default stemmer is never used). */
export interface BayesModel {
  addDocument(features: string[], label: string): void;
  train(): void;
  getClassifications(features: string[]): { label: string; value: number }[];
}

// The word tokenizer keeps digits ("editar 8", "pilares 1 y 3"); the Spanish aggressive one drops
// them. Text reaches it without accents, so its ASCII letter class is enough.
const { WordTokenizer } = require('natural/lib/natural/tokenizers/regexp_tokenizer.js') as { WordTokenizer: new () => Tokenizer };

/** Spanish Porter stemmer (an instance). Accent- and case-sensitive: feed it normalised tokens. */
export const stemmerEs = require('natural/lib/natural/stemmers/porter_stemmer_es.js') as Stemmer;

export const tokenizer: Tokenizer = new WordTokenizer();

interface ApparatusBayes {
  classTotals: Record<string, number>;
  totalExamples: number;
  addExample(observation: Record<number, string>, label: string): void;
  getClassifications(observation: Record<number, string>): { label: string; value: number }[];
}
const ApparatusBayesClassifier = require('apparatus/lib/apparatus/classifier/bayes_classifier.js') as new (smoothing?: number) => ApparatusBayes;

/**
 * `natural`'s naive Bayes model (from `apparatus`, which `natural` wraps) fed sparse feature lists.
 * `natural`'s own wrapper turns every text into a dense 0/1 vector over the whole vocabulary,
 * which made training take 0.5 s here and 1.4 s with character n-grams; the sparse path is
 * linear in the text. That path forgets to count examples per class (the dense one does), so
 * without the two lines below every class gets the same prior and the likelihoods are not
 * normalised by class size.
 */
export class SparseBayes implements BayesModel {
  private readonly model: ApparatusBayes;
  constructor(smoothing: number) {
    this.model = new ApparatusBayesClassifier(smoothing);
  }
  addDocument(features: string[], label: string): void {
    this.model.addExample({ ...features }, label);
    this.model.classTotals[label]! += 1;
    this.model.totalExamples += 1;
  }
  train(): void {}
  getClassifications(features: string[]): { label: string; value: number }[] {
    return this.model.getClassifications({ ...features });
  }
}

const distance = require('natural/lib/natural/distance/levenshtein_distance.js') as {
  DamerauLevenshteinDistance(a: string, b: string, options?: { transposition_cost?: number }): number;
};
export const damerauLevenshtein = (a: string, b: string): number => distance.DamerauLevenshteinDistance(a, b);

const jaroWinkler = require('natural/lib/natural/distance/jaro-winkler_distance.js') as (a: string, b: string) => number;
/** Jaro-Winkler similarity, 0 (nothing alike) to 1 (equal); favours a shared start. About 1 µs a pair here. */
export const jaroWinklerSimilarity = (a: string, b: string): number => jaroWinkler(a, b);
