/**
 * Multinomial logistic regression (softmax) over sparse binary features, trained by stochastic
 * gradient descent. Naive Bayes weighs each word as if the others were not there; this model
 * learns weights jointly, so a word shared by two intents (or by the domain and small talk) counts
 * for what it separates, not for how often it appears. `natural`'s and `apparatus`'s logistic
 * regression build a dense matrix over the whole vocabulary (thousands of features by thousands of
 * examples) and train for seconds; npm's other implementations (ml-logistic-regression) are dense
 * too. The sparse form below trains in a few hundred milliseconds.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Feature } from './features.js';
import type { ModelCache } from './model-cache.js';
import type { FeatureIds, Rows } from './sparse.js';

/**
 * Five passes: six gave the same cross-validation on 10,035 examples (0.878 / 0.914 against
 * five's 0.877 / 0.914; eight gave no more on 8,859) and took a fifth longer at every start.
 */
const EPOCHS = 5;
/** Initial step size; it decays as 1 / (1 + 0.3 · epoch). */
const RATE = 3;
/** Gradients smaller than this are skipped: most classes are already near 0 for most examples. */
const MIN_GRADIENT = 1e-3;

export class SoftmaxModel {
  readonly labels: string[];
  private readonly weights: Float32Array;
  private readonly bias: Float64Array;

  /**
   * Trains on rows numbered by `featureIds` (which another model may share), one per example,
   * labelled; or, when `cache` holds the weights of this very training, reads them.
   */
  constructor(private readonly featureIds: FeatureIds, rows: Rows, cache?: ModelCache) {
    this.labels = [...new Set(rows.labels)];
    const L = this.labels.length;
    this.weights = new Float32Array(this.featureIds.size * L);
    this.bias = new Float64Array(L);
    const key = cache && trainingKey(this.featureIds.size, rows);
    const stored = key && cache.read(key);
    if (stored && stored.length === this.weights.byteLength + this.bias.byteLength) {
      new Uint8Array(this.weights.buffer).set(stored.subarray(0, this.weights.byteLength));
      new Uint8Array(this.bias.buffer).set(stored.subarray(this.weights.byteLength));
      return;
    }
    this.train(rows);
    if (key) cache.write(key, Buffer.concat([new Uint8Array(this.weights.buffer), new Uint8Array(this.bias.buffer)]));
  }

  private train(rows: Rows): void {
    const labelIds = new Map(this.labels.map((l, i) => [l, i]));
    const target = Int32Array.from(rows.labels, (l) => labelIds.get(l)!);
    const { ids, starts, ends } = rows;
    const L = this.labels.length;
    const p = new Float64Array(L);
    // A fixed shuffle per epoch: the same training files always give the same model.
    let seed = 1;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const order = Int32Array.from(target, (_, i) => i);
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const swap = order[i]!;
        order[i] = order[j]!;
        order[j] = swap;
      }
      const step = RATE / (1 + 0.3 * epoch);
      for (const i of order) {
        const from = starts[i]!;
        const to = ends[i]!;
        if (from === to) continue;
        this.probabilities(ids, from, to, to - from, p);
        const scale = step / Math.sqrt(to - from);
        const label = target[i]!;
        for (let k = 0; k < L; k++) {
          const g = p[k]! - (k === label ? 1 : 0);
          if (Math.abs(g) < MIN_GRADIENT) continue;
          this.bias[k]! -= 0.1 * step * g;
          const delta = scale * g;
          for (let f = from; f < to; f++) this.weights[ids[f]! * L + k]! -= delta;
        }
      }
    }
  }

  /** Each label's probability for a feature list (features never seen in training add no score). */
  classify(features: Iterable<Feature>): Map<string, number> {
    const { ids, distinct } = this.featureIds.known(features);
    // Scaled by every feature of the message, as in training: words the model never saw dilute
    // the known ones rather than make them count for more.
    const p = this.probabilities(ids, 0, ids.length, distinct, new Float64Array(this.labels.length));
    return new Map(this.labels.map((l, k) => [l, p[k]!]));
  }

  /** Softmax of the scores of the known feature ids `ids[from..to)`, each weighted 1/√n for a message of n features. */
  private probabilities(ids: Int32Array, from: number, to: number, n: number, out: Float64Array): Float64Array {
    const L = this.labels.length;
    out.set(this.bias);
    // Scaling by 1/√n keeps long messages from saturating the softmax.
    const scale = n ? 1 / Math.sqrt(n) : 0;
    for (let i = from; i < to; i++) {
      const row = ids[i]! * L;
      for (let k = 0; k < L; k++) out[k]! += this.weights[row + k]! * scale;
    }
    let max = -Infinity;
    for (let k = 0; k < L; k++) max = Math.max(max, out[k]!);
    let sum = 0;
    for (let k = 0; k < L; k++) sum += out[k] = Math.exp(out[k]! - max);
    for (let k = 0; k < L; k++) out[k]! /= sum;
    return out;
  }
}

/**
 * What the weights depend on: this file (the training code and its settings), the byte order,
 * and every example's feature ids and label. The same key means the same weights, bit for bit.
 */
function trainingKey(features: number, rows: Rows): string | undefined {
  let code: Buffer;
  try {
    code = readFileSync(fileURLToPath(import.meta.url));
  } catch {
    return undefined; // Bundled beyond recognition: no way to tell the training code changed.
  }
  const hash = createHash('sha256').update(code).update(`${endianness()}\n${features}\n${rows.labels.join('\n')}\n`);
  for (const array of [rows.ids, rows.starts, rows.ends]) hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return hash.digest('hex');
}
