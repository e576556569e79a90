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

/** The held-out evaluation set, `test/nlu/heldout.tsv`: intent and text per line after the header. */
export function readHeldout(root: string): { intent: string; text: string }[] {
  return readRows(root, 'heldout.tsv').map(([intent, text]) => ({ intent: intent!, text: text! }));
}

/** `test/nlu/facts-heldout.tsv`: a question and a regular expression its (accent-folded) reply must match. */
export function readFactsHeldout(root: string): { question: string; expect: string }[] {
  return readRows(root, 'facts-heldout.tsv').map(([question, expect]) => ({ question: question!, expect: expect! }));
}
