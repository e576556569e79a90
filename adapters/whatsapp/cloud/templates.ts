/**
 * Notices as approved utility templates, for people whose 24-hour window has closed (WhatsApp
 * then accepts only templates). Which template says what, and the text to submit to Meta for
 * approval, is in the README ("Notices outside the 24-hour window"); the parameters below must
 * follow that text's {{1}}, {{2}}, … in order.
 */
import { formatDate } from '../../../src/answers/timeline.js';
import type { Content, Notice, Proposal } from '../../../src/index.js';

/** An approved template: its name and language code as registered with Meta. */
export interface TemplateRef {
  name: string;
  language: string;
}

/** Settings: the template for each kind of notice that has one; a kind without one waits for the person's next message. */
export interface NoticeTemplates {
  /** A proposal's status changed: {{1}} tracking number, {{2}} new status, {{3}} the team's answer. */
  status?: TemplateRef;
  /** The draft consultation opened with the person's proposal in it: {{1}} tracking number, {{2}} commitment, {{3}} closing date. */
  draftOpen?: TemplateRef;
  /** A work table is tomorrow: {{1}} table, {{2}} date, time and place, {{3}} sign-up code. */
  reminder?: TemplateRef;
}

/** `cabildo_estado:es` → name and language; Meta's names are lowercase letters, digits and underscores. */
export function parseTemplateRef(value: string): TemplateRef | undefined {
  const m = /^([a-z0-9_]{1,512}):([a-z]{2,3}(?:_[A-Z]{2})?)$/.exec(value.trim());
  return m ? { name: m[1]!, language: m[2]! } : undefined;
}

/** Meta refuses parameters with line breaks, tabs or more than four spaces in a row, and long ones make the message too long. */
const MAX_PARAMETER = 500;
/** Meta refuses an empty parameter: this stands in for a missing value. */
const NONE = '—';

export function templateParameter(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return NONE;
  return flat.length > MAX_PARAMETER ? `${flat.slice(0, MAX_PARAMETER - 1).trimEnd()}…` : flat;
}

export interface TemplateMessage {
  type: 'template';
  template: { name: string; language: { code: string }; components: { type: 'body'; parameters: { type: 'text'; text: string }[] }[] };
}

/**
 * The template message for a notice, or undefined when its kind has no template configured (or
 * none at all: moderation notices and freed places wait for the person's next message).
 */
export function noticeTemplate(notice: Notice, proposal: Proposal | undefined, content: Content, templates: NoticeTemplates): TemplateMessage | undefined {
  const build = (ref: TemplateRef | undefined, values: string[]) =>
    ref && {
      type: 'template' as const,
      template: { name: ref.name, language: { code: ref.language }, components: [{ type: 'body' as const, parameters: values.map((v) => ({ type: 'text' as const, text: templateParameter(v) })) }] },
    };
  switch (notice.kind) {
    case undefined:
    case 'status': {
      if (!proposal) return undefined;
      return build(templates.status, [proposal.id, content.messages.status_labels[proposal.status], proposal.answer ?? '']);
    }
    case 'draft_open': {
      const commitment = content.draftPlan?.commitments.find((k) => k.id === notice.commitmentId);
      const stage = content.consultation.stages.find((s) => s.id === 'draft_consultation');
      return build(templates.draftOpen, [notice.proposalId, commitment ? `${commitment.id} ${commitment.title}` : notice.commitmentId, stage ? formatDate(stage.end) : '']);
    }
    case 'table_reminder': {
      const table = content.workTables.find((t) => t.id === notice.tableId);
      if (!table) return undefined;
      const where = table.online ? `en línea: ${table.online}` : table.place;
      return build(templates.reminder, [`${table.id} · ${table.theme}`, `${formatDate(table.date)}, ${table.time} h, ${where}`, notice.code]);
    }
    default:
      return undefined;
  }
}
