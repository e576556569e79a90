import { describe, expect, it } from 'vitest';
import { createUnderstander } from '../../src/nlu/understand.js';
import { normalize } from '../../src/nlu/normalize.js';
import { INTENT_NAMES } from '../../src/types.js';
import { content, ROOT } from '../helpers/conversation.js';
import { readHeldout } from '../helpers/heldout.js';

describe('held-out evaluation', () => {
  const rows = readHeldout(ROOT);

  it('covers every intent with at least 8 utterances and 40 out of scope', () => {
    for (const name of INTENT_NAMES) {
      const n = rows.filter((r) => r.intent === name).length;
      expect(n, name).toBeGreaterThanOrEqual(name === 'none' ? 40 : 8);
    }
    expect(rows.every((r) => (INTENT_NAMES as readonly string[]).includes(r.intent))).toBe(true);
  });

  it('shares no utterance with the training files', () => {
    const training = new Set([...content().intents.values()].flatMap((f) => f.examples.map(normalize)));
    const overlap = rows.filter((r) => training.has(normalize(r.text))).map((r) => r.text);
    expect(overlap).toEqual([]);
  });

  it('reaches 0.90 in-scope accuracy and 0.85 out-of-scope recall', () => {
    const nlu = createUnderstander(content().intents);
    const inScope = rows.filter((r) => r.intent !== 'none');
    const outOfScope = rows.filter((r) => r.intent === 'none');
    const accuracy = inScope.filter((r) => nlu.understand(r.text).intent === r.intent).length / inScope.length;
    const recall = outOfScope.filter((r) => nlu.understand(r.text).intent === 'none').length / outOfScope.length;
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.85);
  });
});
