import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** A tab-separated evaluation file under `test/nlu/`: the rows after the header, as fields. */
function readRows(root: string, file: string): string[][] {
  return readFileSync(resolve(root, 'test/nlu', file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'));
}

/**
 * A held-out evaluation set: intent and text per line after the header. `heldout.tsv` is the main
 * one; `heldout-hard.tsv` was written to avoid the textbook wording of each topic.
 */
export function readHeldout(root: string, file: 'heldout.tsv' | 'heldout-hard.tsv' = 'heldout.tsv'): { intent: string; text: string }[] {
  return readRows(root, file).map(([intent, text]) => ({ intent: intent!, text: text! }));
}

/** `test/nlu/facts-heldout.tsv`: a question and a regular expression its (accent-folded) reply must match. */
export function readFactsHeldout(root: string): { question: string; expect: string }[] {
  return readRows(root, 'facts-heldout.tsv').map(([question, expect]) => ({ question: question!, expect: expect! }));
}
