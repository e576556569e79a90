/**
 * Typo tolerance against the domain vocabulary: an unknown word is mapped to the closest known
 * word within a small edit distance ("trasparencia" → "transparencia"): one edit under eight
 * letters, two from eight on. Words under five letters are left alone, since one edit turns
 * them into other real words ("colo" → "como").
 */
import { damerauLevenshtein } from './natural.js';

const MIN_LENGTH = 5;
const CACHE_LIMIT = 10_000;

export class Vocabulary {
  private readonly counts = new Map<string, number>();
  private readonly byLength = new Map<number, string[]>();
  private readonly corrections = new Map<string, string | null>();

  constructor(words: Iterable<string>) {
    for (const w of words) this.counts.set(w, (this.counts.get(w) ?? 0) + 1);
    for (const w of this.counts.keys()) {
      const bucket = this.byLength.get(w.length) ?? [];
      bucket.push(w);
      this.byLength.set(w.length, bucket);
    }
  }

  /** The known word itself, its closest correction, or null when nothing is close enough. */
  resolve(word: string): string | null {
    if (this.counts.has(word)) return word;
    if (word.length < MIN_LENGTH) return null;
    const cached = this.corrections.get(word);
    if (cached !== undefined) return cached;
    const found = this.closest(word);
    if (this.corrections.size >= CACHE_LIMIT) this.corrections.clear();
    this.corrections.set(word, found);
    return found;
  }

  private closest(word: string): string | null {
    const maxDistance = word.length < 8 ? 1 : 2;
    let best: string | null = null;
    let bestDistance = maxDistance + 1;
    let bestCount = 0;
    for (let len = word.length - maxDistance; len <= word.length + maxDistance; len++) {
      for (const candidate of this.byLength.get(len) ?? []) {
        // Typos rarely touch the first letter; checking it first skips most of the vocabulary.
        if (candidate[0] !== word[0] && maxDistance < 2) continue;
        const d = damerauLevenshtein(word, candidate);
        const count = this.counts.get(candidate)!;
        if (d < bestDistance || (d === bestDistance && count > bestCount)) {
          best = candidate;
          bestDistance = d;
          bestCount = count;
        }
      }
    }
    return bestDistance <= maxDistance ? best : null;
  }
}
