/**
 * A Cabildo reply as a Bot Framework activity: text as markdown, options as suggested actions
 * (`imBack`, so a tap comes back as the option's text).
 */
import { ActionTypes, ActivityTypes, type Activity } from 'botbuilder';
import type { Reply } from '../../src/index.js';

export function replyToActivity(reply: Reply): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    text: hardBreaks(reply.text),
    textFormat: 'markdown',
    ...(reply.options?.length
      ? { suggestedActions: { to: [], actions: reply.options.map((o) => ({ type: ActionTypes.ImBack, title: o, value: o })) } }
      : {}),
  };
}

/**
 * In markdown a single newline joins lines into one paragraph; the engine's single newlines are
 * meant as line breaks (a status on its own line), so they become hard breaks. List items and
 * blank lines already break.
 */
export function hardBreaks(text: string): string {
  return text.replace(/([^\n])\n(?!\n|- |\d+\. )/g, '$1  \n');
}
