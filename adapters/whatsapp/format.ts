/**
 * Text for WhatsApp, shared by both ways in: its formatting (`*bold*`, links as plain URLs),
 * its 4,096-character limit, and options as a numbered list that a number picks from.
 */

/** Channel name the engine sees on both ways in, so a person is the same user on either. */
export const WHATSAPP_CHANNEL = 'whatsapp';

/** WhatsApp refuses longer text messages. */
export const MAX_TEXT_LENGTH = 4096;

/** Markdown subset → WhatsApp: `**bold**` → `*bold*`, `[text](url)` → `text: url`. */
export function toWhatsApp(markdown: string): string {
  return markdown.replace(/\*\*([^*]+)\*\*/g, '*$1*').replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1: $2');
}

/** Splits text under the limit, at a paragraph, then a line, then a space, where it can. */
export function splitText(text: string, max = MAX_TEXT_LENGTH): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = [window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf(' ')].find((i) => i > max / 2) ?? max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** Options as lines a person can answer with a number. */
export function numberedOptions(options: string[]): string {
  return options.map((o, i) => `${i + 1}. ${o}`).join('\n');
}

/** A bare number that picks one of the options last shown, as the option's text. */
export function pickOption(text: string, options: string[] | undefined): string {
  const m = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(text);
  const picked = m && options ? options[Number(m[1]) - 1] : undefined;
  return picked ?? text;
}
