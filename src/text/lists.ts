/**
 * A reply's lists end with a blank line. In markdown a line right after a list item continues
 * that item (CommonMark's "lazy continuation"), so the paragraph after a list rendered inside
 * its last bullet on Web Chat; plain-text channels (WhatsApp, Slack, the terminal) showed it
 * glued to the list. One rule for every channel: what follows a list is its own paragraph.
 */

/** A list item: `- `, `* ` or `1. ` at the start of a line (indented items belong to the list). */
const ITEM = /^\s*(?:[-*] |\d+\. )/;

/** `text` with a blank line between a list's last item and the line after it. */
export function endListsWithBlankLine(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    out.push(line);
    const next = lines[i + 1];
    if (next !== undefined && ITEM.test(line) && next.trim() !== '' && !ITEM.test(next) && !/^\s+\S/.test(next)) out.push('');
  });
  return out.join('\n');
}
