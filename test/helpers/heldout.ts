import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The held-out evaluation set, `test/nlu/heldout.tsv`: intent and text per line after the header. */
export function readHeldout(root: string): { intent: string; text: string }[] {
  return readFileSync(resolve(root, 'test/nlu/heldout.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [intent, text] = line.split('\t');
      return { intent: intent!, text: text! };
    });
}
