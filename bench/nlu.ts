/** Accuracy and out-of-scope recall on the held-out set, for Cabildo and for nlp.js trained on the same files. */
import { createRequire } from 'node:module';
import type { Content } from '../src/content/load.js';
import { createUnderstander, factQuestions } from '../src/nlu/understand.js';
import { readHeldout } from '../test/helpers/heldout.js';

export interface Scores {
  /** Per held-out file: in-scope accuracy and out-of-scope recall. */
  sets: { file: HeldoutFile; accuracy: number; outOfScopeRecall: number }[];
  trainMs: number;
}
type HeldoutFile = 'heldout.tsv' | 'heldout-hard.tsv';
const FILES: HeldoutFile[] = ['heldout.tsv', 'heldout-hard.tsv'];

async function scoreAll(root: string, predict: (text: string) => Promise<string> | string) {
  const sets = [];
  for (const file of FILES) sets.push({ file, ...(await score(readHeldout(root, file), predict)) });
  return sets;
}

async function score(rows: { intent: string; text: string }[], predict: (text: string) => Promise<string> | string) {
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

export async function cabildoScores(content: Content, root: string): Promise<Scores> {
  const t = performance.now();
  const nlu = createUnderstander(content.intents, {}, factQuestions(content.answers));
  const trainMs = performance.now() - t;
  return { sets: await scoreAll(root, (text) => nlu.understand(text).intent), trainMs };
}

export async function nlpjsScores(content: Content, root: string): Promise<Scores> {
  const require = createRequire(import.meta.url);
  const { NlpManager } = require('node-nlp') as {
    NlpManager: new (o: object) => {
      addDocument(lang: string, text: string, intent: string): void;
      train(): Promise<void>;
      process(lang: string, text: string): Promise<{ intent: string }>;
    };
  };
  const manager = new NlpManager({ languages: ['es'], nlu: { log: false }, autoSave: false, autoLoad: false });
  for (const file of content.intents.values()) for (const e of file.examples) manager.addDocument('es', e, file.intent);
  // The same files: the facts' questions train their intents too.
  for (const e of factQuestions(content.answers)) manager.addDocument('es', e.text, e.intent);
  const t = performance.now();
  await manager.train();
  const trainMs = performance.now() - t;
  // nlp.js answers its own "None" below its confidence threshold: that is out of scope too.
  const sets = await scoreAll(root, async (text) => {
    const { intent } = await manager.process('es', text);
    return intent === 'None' ? 'none' : intent;
  });
  return { sets, trainMs };
}
