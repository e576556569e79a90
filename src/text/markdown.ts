/**
 * Replies are markdown (bold, lists, links) written by us in the content files. Text that a
 * person wrote (a proposal's title, a staff answer) is data: it goes into a reply through
 * `literal`, so that whatever it holds (`[a link](https://…)`, `*bold*`, a bare URL, an email)
 * renders as the characters typed, never as markup. Channels that show plain text undo the
 * escapes with `unescapeMarkdown` after turning our own markup into theirs.
 */

/** Every ASCII punctuation character, the set CommonMark lets a backslash escape. */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;
const ESCAPED = /\\([!-/:-@[-`{-~])/g;

/**
 * Person-written text made safe to place inside markdown. Escaping every punctuation mark
 * (not only `*_[]()`) also breaks the URLs and emails a renderer would link on its own
 * (`evil\.example`, `https\://…`).
 */
export function literal(text: string): string {
  return text.replace(PUNCTUATION, (c) => `\\${c}`);
}

/** Removes backslash escapes, for a channel that shows text as typed. */
export function unescapeMarkdown(markdown: string): string {
  return markdown.replace(ESCAPED, '$1');
}
