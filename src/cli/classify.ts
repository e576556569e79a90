/** `cabildo classify`: one JSON line per input line, `{"text","intent","confidence"}`, in order. */
import { createInterface } from 'node:readline';
import { loadContent } from '../content/load.js';
import { createUnderstander, factQuestions } from '../nlu/understand.js';
import { readSettings } from './config.js';

export async function classify(): Promise<void> {
  const content = loadContent(readSettings().contentDir);
  const nlu = createUnderstander(content.intents, {}, factQuestions(content.answers));
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const text of lines) {
    const { intent, confidence } = nlu.understand(text);
    process.stdout.write(`${JSON.stringify({ text, intent, confidence: Math.round(confidence * 1000) / 1000 })}\n`);
  }
}
