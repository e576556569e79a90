/** Accuracy and out-of-scope recall on the held-out set, for Cabildo and for nlp.js trained on the same files. */
import { createRequire } from 'node:module';
import type { Content } from '../src/content/load.js';
import { createUnderstander, factQuestions } from '../src/nlu/understand.js';
import { HELDOUT_FILES, readHeldout, scoreHeldout, type HeldoutFile } from '../test/helpers/heldout.js';

export interface Scores {
  /** Per held-out file: in-scope accuracy and out-of-scope recall. */
  sets: { file: HeldoutFile; accuracy: number; outOfScopeRecall: number }[];
  trainMs: number;
}

async function scoreAll(root: string, predict: (text: string) => Promise<string> | string) {
  const sets = [];
  for (const file of HELDOUT_FILES) sets.push({ file, ...(await scoreHeldout(readHeldout(root, file), predict)) });
  return sets;
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
