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
// The word tokenizer keeps digits ("editar 8", "pilares 1 y 3"); the Spanish aggressive one drops
// them. Text reaches it without accents, so its ASCII letter class is enough.
const { WordTokenizer } = require('natural/lib/natural/tokenizers/regexp_tokenizer.js') as { WordTokenizer: new () => Tokenizer };

/** Spanish Porter stemmer (an instance). Accent- and case-sensitive: feed it normalised tokens. */
export const stemmerEs = require('natural/lib/natural/stemmers/porter_stemmer_es.js') as Stemmer;

export const tokenizer: Tokenizer = new WordTokenizer();

const distance = require('natural/lib/natural/distance/levenshtein_distance.js') as {
  DamerauLevenshteinDistance(a: string, b: string, options?: { transposition_cost?: number }): number;
};
export const damerauLevenshtein = (a: string, b: string): number => distance.DamerauLevenshteinDistance(a, b);

const jaroWinkler = require('natural/lib/natural/distance/jaro-winkler_distance.js') as (a: string, b: string) => number;
/** Jaro-Winkler similarity, 0 (nothing alike) to 1 (equal); favours a shared start. About 1 µs a pair here. */
export const jaroWinklerSimilarity = (a: string, b: string): number => jaroWinkler(a, b);
