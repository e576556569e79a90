/**
 * A Cabildo reply as WhatsApp Cloud API messages: text under 4,096 characters, options as
 * reply buttons (up to 3) or a list (up to 10), which come back as the option's title.
 */
import type { Reply } from '../../../src/index.js';
import { splitText, toWhatsApp } from '../format.js';

export const MAX_BUTTONS = 3;
export const MAX_LIST_ROWS = 10;
/** Interactive messages carry at most this much body text. */
export const MAX_INTERACTIVE_BODY = 1024;
/** Labels WhatsApp's own interface needs around a list. */
const LIST_BUTTON = 'Ver opciones';
const OPTIONS_PROMPT = 'Elige una opción:';

export type GraphMessage =
  | { type: 'text'; text: { body: string; preview_url: boolean } }
  | {
      type: 'interactive';
      interactive:
        | { type: 'button'; body: { text: string }; action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] } }
        | { type: 'list'; body: { text: string }; action: { button: string; sections: { title: string; rows: { id: string; title: string }[] }[] } };
    };

export function renderCloud(reply: Reply): GraphMessage[] {
  const text = toWhatsApp(reply.text);
  const options = reply.options ?? [];
  if (!options.length) return splitText(text).map(asText);
  // Long text goes first as plain messages; the options follow under a short prompt.
  const fits = text.length <= MAX_INTERACTIVE_BODY;
  const messages = fits ? [] : splitText(text).map(asText);
  const body = fits ? text : OPTIONS_PROMPT;
  const ids = options.map((o, i) => ({ id: `opt-${i + 1}`, title: o }));
  if (options.length <= MAX_BUTTONS) {
    messages.push({ type: 'interactive', interactive: { type: 'button', body: { text: body }, action: { buttons: ids.map((reply) => ({ type: 'reply', reply })) } } });
  } else {
    messages.push({
      type: 'interactive',
      interactive: { type: 'list', body: { text: body }, action: { button: LIST_BUTTON, sections: [{ title: LIST_BUTTON, rows: ids.slice(0, MAX_LIST_ROWS) }] } },
    });
  }
  return messages;
}

function asText(body: string): GraphMessage {
  return { type: 'text', text: { body, preview_url: false } };
}
