/**
 * Feature lists as rows of small integers in flat typed arrays. Thousands of training examples
 * kept as arrays of feature strings made the garbage collector copy tens of megabytes at every
 * start; as ids in a few typed arrays they cost little to keep or collect.
 */
import type { Feature } from './features.js';

/** Features numbered in order of first sight. */
export class FeatureIds {
  private readonly ids = new Map<Feature, number>();
  /** For each id, the last list `add` saw it in. */
  private readonly stamps: number[] = [];
  private lists = 0;

  get size(): number {
    return this.ids.size;
  }

  /** The ids of a list's features, once each, numbering the new ones. */
  add(features: readonly Feature[], into: number[]): void {
    // A stamp per id instead of a set per list: this runs for every training example at start.
    const stamp = ++this.lists;
    for (const f of features) {
      let id = this.ids.get(f);
      if (id === undefined) this.ids.set(f, (id = this.ids.size));
      if (this.stamps[id] !== stamp) {
        this.stamps[id] = stamp;
        into.push(id);
      }
    }
  }

  /** The ids of a list's known features, once each, and how many distinct features the list has. */
  known(features: Iterable<Feature>): { ids: Int32Array; distinct: number } {
    const unique = new Set(features);
    const ids: number[] = [];
    for (const f of unique) {
      const id = this.ids.get(f);
      if (id !== undefined) ids.push(id);
    }
    return { ids: Int32Array.from(ids), distinct: unique.size };
  }
}

/** Row i holds `ids[starts[i]]` up to `ids[ends[i]]`. */
export interface Rows {
  ids: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  labels: string[];
}

/** Numbers every document's features and packs them into rows. */
export function toRows(documents: Iterable<{ label: string; features: readonly Feature[] }>, featureIds: FeatureIds): Rows {
  const ids: number[] = [];
  const starts: number[] = [];
  const labels: string[] = [];
  for (const d of documents) {
    starts.push(ids.length);
    featureIds.add(d.features, ids);
    labels.push(d.label);
  }
  const ends = starts.slice(1).concat(ids.length);
  return { ids: Int32Array.from(ids), starts: Int32Array.from(starts), ends: Int32Array.from(ends), labels };
}
