/** `cabildo check`: validates `intents/` and `data/` as start-up does, naming file and field of each error. */
import { loadContent } from '../content/load.js';
import { readSettings } from './config.js';

export function check(): void {
  const content = loadContent(readSettings().contentDir);
  const examples = [...content.intents.values()].reduce((n, f) => n + f.examples.length, 0);
  process.stdout.write(
    `OK: ${content.intents.size} intents (${examples} examples), ${Object.keys(content.facts).length} facts (${content.answers.length} fact answers), ${content.consultation.stages.length} stages, ${content.draftPlan ? `${content.draftPlan.commitments.length} draft commitments` : 'no draft plan'}.\n`,
  );
}
