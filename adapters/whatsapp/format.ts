/**
 * Text for WhatsApp, shared by both ways in: its formatting (`*bold*`, links as plain URLs),
 * its 4,096-character limit, and options as a numbered list that a number picks from.
 */

/** Channel name the engine sees on both ways in, so a person is the same user on either. */
export const WHATSAPP_CHANNEL = 'whatsapp';

/** WhatsApp refuses longer text messages. */
export const MAX_TEXT_LENGTH = 4096;

/** What may follow a backslash as an escape: ASCII punctuation, as `literal()` in src/text/markdown.ts writes it. */
const PUNCTUATION = /[!-/:-@[-`{-~]/;
/** WhatsApp's formatting markers: `*bold*`, `_italic_`, `~strike~`, `` `code` `` / ```` ```mono``` ````. */
const MARKERS = new Set(['*', '_', '~', '`']);
const ZWSP = '\u200B';
/** A link of our own markdown, from `[`: its text (escapes allowed) and its URL. */
const LINK = /\[((?:\\[!-/:-@[-`{-~]|[^\]\\])+)\]\(([^)\s]+)\)/y;

/**
 * Markdown subset → WhatsApp: `**bold**` → `*bold*`, `[text](url)` → `text: url`; and what a
 * person wrote (backslash-escaped by `literal()`) as the characters they typed, never as markup.
 *
 * WhatsApp has no escape character (a backslash is shown as is): `*`, `_`, `~` and backticks
 * format whatever sits between two of them at word edges, also in text the bot only repeats.
 * So an escaped marker is sent as itself with a zero-width space (U+200B) on each side. The
 * person sees the character they typed (the space has no width), and the marker no longer
 * touches the word or the space next to it: WhatsApp opens a span only at a marker preceded by
 * a space, punctuation or the line's start and followed by a non-space, and closes it only at
 * one followed by a space, punctuation or the line's end; U+200B is neither a space nor
 * punctuation (Unicode category Cf), so it can do neither. Why not the alternatives: a
 * look-alike (`∗`, `＿`, `～`) would not be the character typed; dropping or spacing the
 * character changes the text; a monospace block is formatting too and can be closed from
 * inside. WhatsApp does not document its parser: the rule above is how clients behave, so a
 * change of client should be checked with the test in test/security/whatsapp-cloud.test.ts
 * and on a phone. Our own markers (`**bold**` → `*bold*`) are left unguarded.
 */
export function toWhatsApp(markdown: string): string {
  let out = '';
  let i = 0;
  while (i < markdown.length) {
    const c = markdown[i]!;
    const next = markdown[i + 1];
    if (c === '\\' && next !== undefined && PUNCTUATION.test(next)) {
      out += shown(next);
      i += 2;
      continue;
    }
    if (c === '*' && next === '*') {
      const end = closingBold(markdown, i + 2);
      if (end > i + 2) {
        out += `*${toWhatsApp(markdown.slice(i + 2, end))}*`;
        i = end + 2;
        continue;
      }
    }
    if (c === '[') {
      LINK.lastIndex = i;
      const m = LINK.exec(markdown);
      if (m) {
        out += `${toWhatsApp(m[1]!)}: ${unescape(m[2]!)}`;
        i += m[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

/** An escaped character as WhatsApp should show it: literally, and a marker unable to format. */
function shown(c: string): string {
  return MARKERS.has(c) ? `${ZWSP}${c}${ZWSP}` : c;
}

function unescape(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Where the `**` closing a bold span from `from` starts, skipping escapes; -1 if an unescaped `*` comes first. */
function closingBold(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (c === '\\' && j + 1 < text.length && PUNCTUATION.test(text[j + 1]!)) j++;
    else if (c === '*') return text[j + 1] === '*' ? j : -1;
    else if (c === '\n' && text[j + 1] === '\n') return -1;
  }
  return -1;
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
