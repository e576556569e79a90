/**
 * Markdown and raw text → Slack mrkdwn. Slack reads `<…>` as mentions (`<!channel>`, `<@U…>`)
 * and links (`<url|label>`), and `* _ ~ \`` as formatting, so text a person wrote must never
 * reach Slack with those characters live.
 *
 * Neutralising choice: `&<>` become the entities Slack documents (`&amp; &lt; &gt;`); Slack has
 * no escape for `* _ ~ \``, so a U+200B ZERO WIDTH SPACE follows each one: Slack only opens or
 * closes formatting at a markup char touching a word, and the invisible space breaks that
 * while the text still reads (and copies) as typed, minus an invisible character.
 */

const ZWSP = '\u200B';
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** One character a person typed, as Slack should show it. */
function neutral(c: string): string {
  return ENTITIES[c] ?? (/[*_~`]/.test(c) ? `${c}${ZWSP}` : c);
}

/** Raw text a person wrote (a store field) made inert for a mrkdwn field. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>*_~`]/g, neutral);
}

// Backslash escapes are what `literal()` produced: person-written characters, never markup.
const P = '[!-/:-@[-`{-~]';
const TOKEN = new RegExp(
  [
    `\\\\(${P})`, // 1: an escaped character
    `\\*\\*((?:\\\\${P}|[^*\\\\])+?)\\*\\*`, // 2: **bold**, whose text may hold escapes
    `\\[((?:\\\\${P}|[^\\]\\\\])+)\\]\\(([^)\\s]+)\\)`, // 3, 4: [text](url)
    '^- ', // a bullet
    '[&<>]', // live in Slack even in our own text
  ].join('|'),
  'gm',
);

/**
 * Our markdown subset → mrkdwn: `**bold**` → `*bold*`, `[text](url)` → `<url|text>`, `- ` → `•`,
 * `&<>` escaped; a backslash-escaped character comes out as itself, neutralised, without the
 * backslash. One pass, so the output of one rule is never read by another.
 */
export function toMrkdwn(markdown: string): string {
  return markdown.replace(TOKEN, (match, escaped?: string, bold?: string, label?: string, url?: string) => {
    if (escaped !== undefined) return neutral(escaped);
    if (bold !== undefined) return `*${toMrkdwn(bold)}*`;
    // `|` and `>` would end the link's url early; our urls never hold them, but stay safe.
    if (label !== undefined && url !== undefined) return `<${url.replace(/&/g, '&amp;').replace(/[<>|]/g, encodeURIComponent)}|${toMrkdwn(label)}>`;
    if (match === '- ') return '• ';
    return neutral(match);
  });
}
