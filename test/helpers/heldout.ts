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
 * The held-out sets: `heldout.tsv` is the main one; `heldout-hard.tsv` avoids the textbook
 * wording of each topic; `heldout-formal.tsv` asks the way government FAQ pages and formal
 * emails do, with other services' questions and a domain word in another sense as out of scope.
 */
export type HeldoutFile = 'heldout.tsv' | 'heldout-hard.tsv' | 'heldout-formal.tsv';
export const HELDOUT_FILES: HeldoutFile[] = ['heldout.tsv', 'heldout-hard.tsv', 'heldout-formal.tsv'];

/** A held-out evaluation set: intent and text per line after the header. */
export function readHeldout(root: string, file: HeldoutFile = 'heldout.tsv'): { intent: string; text: string }[] {
  return readRows(root, file).map(([intent, text]) => ({ intent: intent!, text: text! }));
}

/** In-scope accuracy and out-of-scope recall of a prediction over held-out rows (the test and the bench both score this way). */
export async function scoreHeldout(
  rows: { intent: string; text: string }[],
  predict: (text: string) => Promise<string> | string,
): Promise<{ accuracy: number; outOfScopeRecall: number }> {
  let inOk = 0;
  let inN = 0;
  let outOk = 0;
  let outN = 0;
  for (const r of rows) {
    const got = await predict(r.text);
    if (r.intent === 'none') {
      outN++;
      if (got === 'none') outOk++;
    } else {
      inN++;
      if (got === r.intent) inOk++;
    }
  }
  return { accuracy: inOk / inN, outOfScopeRecall: outOk / outN };
}

/** `test/nlu/facts-heldout.tsv`: a question and a regular expression its (accent-folded) reply must match. */
export function readFactsHeldout(root: string): { question: string; expect: string }[] {
  return readRows(root, 'facts-heldout.tsv').map(([question, expect]) => ({ question: question!, expect: expect! }));
}
