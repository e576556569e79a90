/**
 * One error model: a stable `code` callers can switch on, a message that says what to fix
 * (file, field, value, or the variable to set), and the underlying `cause`.
 */
export type CabildoErrorCode =
  | 'CONTENT_INVALID'
  | 'STORE_LOCKED'
  | 'STORE_NOT_WRITABLE'
  | 'OPINION_NOT_FOUND'
  | 'STORE_UNREACHABLE'
  | 'STORE_MIGRATION_FAILED'
  | 'STORE_CORRUPT'
  | 'STORE_WRITE_FAILED'
  | 'PROPOSAL_WITHDRAWN'
  | 'CONFIG_INVALID';

export class CabildoError extends Error {
  readonly code: CabildoErrorCode;

  constructor(code: CabildoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CabildoError';
    this.code = code;
  }
}

/** One problem found in a content file. */
export interface ContentIssue {
  file: string;
  field: string;
  message: string;
}

/** Raised when `intents/` or `data/` do not validate; lists every problem, not just the first. */
export class ContentError extends CabildoError {
  readonly issues: ContentIssue[];

  constructor(issues: ContentIssue[]) {
    super('CONTENT_INVALID', `Content is invalid:\n${issues.map(formatIssue).join('\n')}`);
    this.issues = issues;
  }
}

export function formatIssue(issue: ContentIssue): string {
  return `  ${issue.file}: ${issue.field}: ${issue.message}`;
}
