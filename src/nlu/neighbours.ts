/**
 * The nearest training example by cosine similarity of TF-IDF weighted features, through an
 * inverted index. A message whose closest example is an out-of-scope one is out of scope, even
 * when the logistic model leans, without conviction, to an in-scope intent.
 */
export interface Neighbour {
  label: string;
  similarity: number;
}

export class NeighbourIndex {
  /** Per feature, the documents that have it and its weight in each (parallel arrays: fewer objects to build and collect). */
  private readonly postings = new Map<string, { docs: number[]; weights: number[] }>();
  private readonly idf = new Map<string, number>();
  private readonly labels: string[] = [];
  /** Scratch scores, one per document, reused across queries (reset after each). */
  private readonly scores: Float64Array;

  constructor(documents: { label: string; features: string[] }[]) {
    const df = new Map<string, number>();
    for (const d of documents) for (const f of new Set(d.features)) df.set(f, (df.get(f) ?? 0) + 1);
    for (const [f, n] of df) this.idf.set(f, Math.log((documents.length + 1) / (n + 1)) + 1);
    this.scores = new Float64Array(documents.length);
    documents.forEach((d, doc) => {
      this.labels.push(d.label);
      const { features, weights } = this.vector(d.features);
      features.forEach((f, i) => {
        let list = this.postings.get(f);
        if (!list) this.postings.set(f, (list = { docs: [], weights: [] }));
        list.docs.push(doc);
        list.weights.push(weights[i]!);
      });
    });
  }

  /** The most similar example, or undefined when no feature is shared with any. */
  nearest(features: string[]): Neighbour | undefined {
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
  nearestByLabel(features: string[]): Map<string, number> {
    const best = new Map<string, number>();
    for (const doc of this.score(features)) {
      const label = this.labels[doc]!;
      if (this.scores[doc]! > (best.get(label) ?? 0)) best.set(label, this.scores[doc]!);
      this.scores[doc] = 0;
    }
    return best;
  }

  /** Adds each example's cosine similarity into `scores` and returns the examples touched (the caller resets them). */
  private score(features: string[]): number[] {
    const scores = this.scores;
    const touched: number[] = [];
    const query = this.vector(features);
    query.features.forEach((f, i) => {
      const w = query.weights[i]!;
      const list = this.postings.get(f)!;
      for (let j = 0; j < list.docs.length; j++) {
        const doc = list.docs[j]!;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += w * list.weights[j]!;
      }
    });
    return touched;
  }

  /** The known features of a list, once each, with TF-IDF weights normalised to unit length. */
  private vector(list: string[]): { features: string[]; weights: number[] } {
    const features: string[] = [];
    const weights: number[] = [];
    let norm = 0;
    for (const f of new Set(list)) {
      const idf = this.idf.get(f);
      if (idf === undefined) continue;
      features.push(f);
      weights.push(idf);
      norm += idf * idf;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < weights.length; i++) weights[i]! /= norm;
    return { features, weights };
  }
}
