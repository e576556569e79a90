/**
 * "borrar mis datos": the two choices people want (contact details only, or proposals withdrawn
 * as well), or nothing. Asked once more when the answer is neither; a second unclear answer
 * ends the flow and is handled as a new message.
 */
import type { Content } from '../content/load.js';
import { say } from '../answers/render.js';
import { normalize } from '../nlu/normalize.js';
import type { DialogState, ErasureScope } from '../types.js';
import type { Flow } from './flow.js';
import { formCommand } from './proposal.js';
import { yesNo } from './validators.js';

type DeletionState = Extract<DialogState, { form: 'deletion' }>;

export const deletionFlow: Flow<DeletionState> = {
  name: 'deletion',
  version: 1,

  async start({ content, store, userKey, now }) {
    const data = await store.userData(userKey);
    if (!data.proposals.length && (!data.session || data.session.form === 'context') && !data.notices.length && !data.opinions.length && !data.signups.length) return { kind: 'done', replies: [{ text: say(content, 'deletion_nothing') }] };
    return {
      kind: 'continue',
      state: { v: 1, form: 'deletion', updatedAt: now.toISOString() },
      replies: [{ text: say(content, 'deletion_confirm', { count: data.proposals.length }), options: choices(content) }],
    };
  },

  async next({ content, store, userKey, now }, state, text) {
    const choice = erasureChoice(content, text);
    if (choice === 'keep') return { kind: 'done', replies: [deletionFlow.cancelled(content)] };
    if (choice === 'unclear') {
      if (state.asked) return { kind: 'leave' };
      return { kind: 'continue', state: { ...state, asked: true, updatedAt: now.toISOString() }, replies: [{ text: say(content, 'deletion_unclear'), options: choices(content) }] };
    }
    const count = await store.eraseUser(userKey, choice, now);
    return { kind: 'done', replies: [{ text: say(content, choice === 'contact' ? 'deletion_done_contact' : 'deletion_done_withdraw', { count }) }] };
  },

  reask: (content) => ({ text: say(content, 'deletion_unclear'), options: choices(content) }),

  cancelled: (content) => ({ text: say(content, 'deletion_kept') }),

  welcomeBack: (content) => ({ text: `${say(content, 'deletion_welcome_back')}\n\n${say(content, 'deletion_unclear')}`, options: choices(content) }),

  resumeText: (content) => say(content, 'deletion_resume'),
};

function erasureChoice(content: Content, text: string): ErasureScope | 'keep' | 'unclear' {
  const folded = normalize(text);
  // Digits are read from the raw text: normalising drops them.
  const number = /^\s*([12])\s*[.)]?\s*$/.exec(text)?.[1];
  const o = content.messages.options;
  if (number === '1' || folded === normalize(o.erase_contact) || /\b(solo|solamente)\b.*\bcontacto\b/.test(folded)) return 'contact';
  if (number === '2' || folded === normalize(o.erase_withdraw) || /\bretira/.test(folded) || /\b(todo|todas)\b/.test(folded)) return 'withdraw';
  const no = yesNo(text);
  if ((no.ok && !no.value) || formCommand(folded) === 'cancel') return 'keep';
  return 'unclear';
}

function choices(content: Content): string[] {
  const o = content.messages.options;
  return [o.erase_contact, o.erase_withdraw, o.cancel];
}
