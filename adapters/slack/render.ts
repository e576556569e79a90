/**
 * Cabildo replies as Block Kit: a section of mrkdwn and the options as buttons whose value is
 * the option's text (a click comes back to the engine as if typed). Within Slack's limits.
 */
import type { KnownBlock } from '@slack/types';
import type { Reply } from '../../src/index.js';
import { toMrkdwn } from './mrkdwn.js';

/** Slack cuts a section's text at 3,000 characters; messages stay under 4,000. */
export const MAX_SECTION_TEXT = 3000;
export const MAX_MESSAGE_TEXT = 4000;
export const MAX_BLOCKS = 50;
export const MAX_BUTTON_LABEL = 75;
export const OPTION_ACTION = 'cabildo_option';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export function renderSlack(reply: Reply): SlackMessage {
  const text = toMrkdwn(reply.text).slice(0, MAX_MESSAGE_TEXT);
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < text.length && blocks.length < MAX_BLOCKS - 1; i += MAX_SECTION_TEXT) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: text.slice(i, i + MAX_SECTION_TEXT) } });
  }
  if (reply.options?.length) {
    blocks.push({
      type: 'actions',
      elements: reply.options.map((option, i) => ({
        type: 'button',
        action_id: `${OPTION_ACTION}_${i}`,
        text: { type: 'plain_text', text: option.slice(0, MAX_BUTTON_LABEL) },
        value: option,
      })),
    });
  }
  return { text, blocks };
}
