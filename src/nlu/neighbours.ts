/**
 * The nearest training example by cosine similarity of TF-IDF weighted features, through an
 * inverted index. A message whose closest example is an out-of-scope one is out of scope, even
 * when the logistic model leans, without conviction, to an in-scope intent.
 */
import { FeatureIds, toRows, type Rows } from './sparse.js';

export interface Neighbour {
  label: string;
  similarity: number;
}

export class NeighbourIndex {
  private readonly labels: string[];
  private readonly idf: Float64Array;
  /** Per feature f, the documents that have it, `docs[starts[f]]` up to `docs[starts[f + 1]]`, and its weight in each. */
  private readonly starts: Int32Array;
  private readonly docs: Int32Array;
  private readonly weights: Float64Array;
  /** Scratch scores, one per document, reused across queries (reset after each). */
  private readonly scores: Float64Array;

  /** An index over documents given as feature lists. */
  static of(documents: Iterable<{ label: string; features: readonly string[] }>): NeighbourIndex {
    const featureIds = new FeatureIds();
    return new NeighbourIndex(featureIds, toRows(documents, featureIds));
  }

  /** An index over rows numbered by `featureIds` (which another model may share). */
  constructor(private readonly featureIds: FeatureIds, rows: Rows) {
    const n = rows.labels.length;
    const F = this.featureIds.size;
    this.labels = rows.labels;
    this.scores = new Float64Array(n);
    const df = new Int32Array(F);
    for (let doc = 0; doc < n; doc++) for (let i = rows.starts[doc]!; i < rows.ends[doc]!; i++) df[rows.ids[i]!]!++;
    // A feature only another model sharing the numbering reads (a character 4-gram) weighs nothing here.
    this.idf = Float64Array.from(df, (count) => (count ? Math.log((n + 1) / (count + 1)) + 1 : 0));
    // Postings grouped by feature: prefix sums of the document frequencies give each group's start.
    this.starts = new Int32Array(F + 1);
    for (let f = 0; f < F; f++) this.starts[f + 1] = this.starts[f]! + df[f]!;
    const total = df.reduce((sum, count) => sum + count, 0);
    this.docs = new Int32Array(total);
    this.weights = new Float64Array(total);
    const filled = this.starts.slice(0, F);
    for (let doc = 0; doc < n; doc++) {
      const from = rows.starts[doc]!;
      const to = rows.ends[doc]!;
      let norm = 0;
      for (let i = from; i < to; i++) norm += this.idf[rows.ids[i]!]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = from; i < to; i++) {
        const f = rows.ids[i]!;
        const at = filled[f]!++;
        this.docs[at] = doc;
        this.weights[at] = this.idf[f]! / norm;
      }
    }
  }

  /** The most similar example, or undefined when no feature is shared with any. */
  nearest(features: Iterable<string>): Neighbour | undefined {
    const touched = this.score(features);
    let best = -1;
    let bestScore = 0;
    for (const doc of touched) {
      if (this.scores[doc]! > bestScore) {
        best = doc;
        bestScore = this.scores[doc]!;
      }
      this.scores[doc] = 0;
    }
    return best < 0 ? undefined : { label: this.labels[best]!, similarity: bestScore };
  }

  /** The similarity of the closest example of each label that shares a feature with the list. */
  nearestByLabel(features: Iterable<string>): Map<string, number> {
    const best = new Map<string, number>();
    for (const doc of this.score(features)) {
      const label = this.labels[doc]!;
      if (this.scores[doc]! > (best.get(label) ?? 0)) best.set(label, this.scores[doc]!);
      this.scores[doc] = 0;
    }
    return best;
  }

  /** Adds each example's cosine similarity into `scores` and returns the examples touched (the caller resets them). */
  private score(features: Iterable<string>): number[] {
    const ids = this.featureIds.known(features).ids.filter((f) => this.idf[f]! > 0);
    let norm = 0;
    for (const f of ids) norm += this.idf[f]! ** 2;
    norm = Math.sqrt(norm) || 1;
    const scores = this.scores;
    const touched: number[] = [];
    for (const f of ids) {
      const w = this.idf[f]! / norm;
      for (let j = this.starts[f]!; j < this.starts[f + 1]!; j++) {
        const doc = this.docs[j]!;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += w * this.weights[j]!;
      }
    }
    return touched;
  }
}
