/** How staff, the public pages and the open data name one comment on the draft: `C3:12`. */

/** A comment by its commitment and its number within it (numbers are given in order and never reused). */
export interface CommentRef {
  commitmentId: string;
  commentNo: number;
}

/** `C3:12`; an opinion's comment has its number from the moment it is written (or since the store was opened, for older ones). */
export function commentRef(ref: { commitmentId: string; commentNo?: number }): string {
  return `${ref.commitmentId}:${ref.commentNo ?? 0}`;
}

/** Reads `C3:12` (also `c3:12`, `C03 : 12`); undefined when the text is not a comment reference. */
export function parseCommentRef(text: string): CommentRef | undefined {
  const m = /^\s*c0*(\d{1,3})\s*:\s*(\d{1,9})\s*$/i.exec(text);
  return m ? { commitmentId: `C${Number(m[1])}`, commentNo: Number(m[2]) } : undefined;
}
