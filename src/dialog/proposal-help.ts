/**
 * What the proposal form says off its clean path: help for a question about the current field,
 * and the welcome back for a person who returns to an open form (where they are, what they
 * answered, the pending question).
 */
import type { Content } from '../content/load.js';
import { literal } from '../text/markdown.js';
import type { ProposalDraft, Reply } from '../types.js';
import { ask, counter, FIELD_STEPS, isFieldStep, pending, pillarLabels, say, type ProposalState } from './proposal.js';

/** Characters of each answer shown when a person comes back to the form. */
const RECAP_LENGTH = 50;

/**
 * A question about the form ("¿qué tipo de problema tengo que poner?"): what the field
 * expects and its example, then the question again.
 */
export function fieldHelp(content: Content, state: ProposalState): Reply {
  const step = state.step;
  if (step === 'summary' || step === 'consent') return pending(content, state);
  const field = content.form.fields[step];
  const question = ask(content, state);
  const where = isFieldStep(step) ? `${counter(step)} ` : '';
  return { ...question, text: `${field.help ? `${field.help}\n\n` : ''}**Ejemplo:** ${field.example}\n\n${where}${field.question}` };
}

/**
 * A person back at an open form (a greeting, "¿en qué iba?", a front end's opening message):
 * welcome, where they are, what they answered (briefly), and the pending question.
 */
export function welcomeBack(content: Content, state: ProposalState): Reply {
  const parts = [say(content, 'welcome_back')];
  const step = state.step;
  const count = FIELD_STEPS.length;
  let recap = '';
  if (step === 'summary') {
    parts.push(say(content, 'welcome_back_summary'));
  } else {
    parts.push(isFieldStep(step) ? say(content, 'welcome_back_step', { n: FIELD_STEPS.indexOf(step) + 1, count }) : say(content, 'welcome_back_contact', { count }));
    const lines = recapLines(content, state.draft);
    if (lines) recap = `\n\n${say(content, 'welcome_back_answered')}\n${lines}`;
  }
  const question = state.choosingField ? pending(content, state) : ask(content, state);
  return { ...question, text: `${parts.join(' ')}${recap}\n\n${question.text}` };
}

/** The fields answered so far, one short line each. */
function recapLines(content: Content, draft: ProposalDraft): string {
  const f = content.form.fields;
  return FIELD_STEPS.filter((s) => (s === 'pillars' ? draft.pillars?.length : draft[s]))
    .map((s) => `- **${f[s].label}:** ${s === 'pillars' ? pillarLabels(content, draft.pillars!) : literal(shorten(draft[s]!))}`)
    .join('\n');
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  if (line.length <= RECAP_LENGTH) return line;
  // Cut at a word's end when there is one in the second half.
  const cut = line.lastIndexOf(' ', RECAP_LENGTH - 1);
  return `${line.slice(0, cut > RECAP_LENGTH / 2 ? cut : RECAP_LENGTH - 1).trimEnd()}…`;
}
