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
  private readonly postings = new Map<string, { doc: number; weight: number }[]>();
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
      const vector = this.vector(d.features);
      for (const [f, weight] of vector) {
        const list = this.postings.get(f) ?? [];
        list.push({ doc, weight });
        this.postings.set(f, list);
      }
    });
  }

  /** The most similar example, or undefined when no feature is shared with any. */
  nearest(features: string[]): Neighbour | undefined {
    const scores = this.scores;
    const touched: number[] = [];
    for (const [f, w] of this.vector(features)) {
      for (const { doc, weight } of this.postings.get(f) ?? []) {
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += w * weight;
      }
    }
    let best = -1;
    let bestScore = 0;
    for (const doc of touched) {
      if (scores[doc]! > bestScore) {
        best = doc;
        bestScore = scores[doc]!;
      }
      scores[doc] = 0;
    }
    return best < 0 ? undefined : { label: this.labels[best]!, similarity: bestScore };
  }

  private vector(features: string[]): Map<string, number> {
    const v = new Map<string, number>();
    for (const f of new Set(features)) {
      const idf = this.idf.get(f);
      if (idf !== undefined) v.set(f, idf);
    }
    const norm = Math.sqrt([...v.values()].reduce((s, w) => s + w * w, 0)) || 1;
    for (const [f, w] of v) v.set(f, w / norm);
    return v;
  }
}
