/** Replies built from content: static intent answers, proposal status, notices, the calendar, "mis datos". */
import type { Content } from '../content/load.js';
import { MAX_OPTIONS, type Notice, type Proposal, type Reply } from '../types.js';
import type { UserData } from '../store/port.js';
import { fillFacts, fillSlots } from './facts.js';
import { calendarPosition, formatDate, localDate, receptionState } from './timeline.js';
import { summaryText } from '../dialog/proposal.js';
import { maskPersonalData } from '../privacy/mask.js';
import { literal } from '../text/markdown.js';
import { opinionLines } from '../dialog/draft-flow.js';
import { todayOffer } from './stage.js';
import { tableDetails } from './tables.js';
import { signUpLines } from '../dialog/signup-flow.js';

export function say(content: Content, key: keyof Content['messages']['messages'], slots: Record<string, string | number> = {}): string {
  return fillSlots(content.messages.messages[key], slots);
}

/** A static answer from an intent file, facts filled in. */
export function staticAnswer(content: Content, answer: { text: string; more?: string; options?: string[] }): Reply {
  // "Ver más" first when the answer has more than its first screen (the context answers it).
  const options = [...(answer.more ? [content.messages.options.more] : []), ...(answer.options ?? [])].slice(0, MAX_OPTIONS);
  return { text: fillFacts(answer.text, content.facts).trim(), ...(options.length ? { options } : {}) };
}

const day = (iso: string) => formatDate(iso.slice(0, 10));

/** A proposal's status for its author: everything as they and the staff wrote it. */
export function proposalStatus(content: Content, p: Proposal): Reply {
  const m = content.messages;
  let text = say(content, 'status_found', { id: p.id, title: literal(p.title), status: m.status_labels[p.status], date: day(p.createdAt) });
  if (p.answer) text += `\n\n${say(content, 'status_answer', { answer: literal(p.answer) })}`;
  return { text };
}

/**
 * A proposal's status for anyone else who types its number (numbers are sequential, so
 * anyone can): the public view, personal data masked, and nothing of a withdrawn one.
 */
export function publicStatus(content: Content, p: Proposal): Reply {
  const m = content.messages;
  if (p.status === 'retirada') return { text: say(content, 'status_withdrawn_public', { id: p.id }) };
  // The same as its public page: the moderation reason in place of what was hidden.
  if (p.hidden) return { text: say(content, 'status_hidden_public', { id: p.id, reason: literal(maskPersonalData(p.hidden.reason)) }) };
  let text = say(content, 'status_found_public', {
    id: p.id,
    title: literal(maskPersonalData(p.title)),
    status: m.status_labels[p.status],
    date: day(p.createdAt),
    updated: day(p.updatedAt),
  });
  if (p.answer) text += `\n\n${say(content, 'status_answer', { answer: literal(maskPersonalData(p.answer)) })}`;
  return { text };
}

export function proposalList(content: Content, proposals: Proposal[]): Reply {
  const m = content.messages;
  if (!proposals.length) return { text: say(content, 'status_none_yet'), options: [m.options.start] };
  const lines = proposals.slice(0, 10).map((p) => `- **${p.id}** ${literal(p.title)}: ${m.status_labels[p.status]}`);
  return { text: `${say(content, 'status_list_intro', { count: proposals.length })}\n${lines.join('\n')}` };
}

export function noticeReply(content: Content, notice: Notice, proposal: Proposal | undefined): Reply {
  const m = content.messages;
  if ('tableId' in notice) {
    const table = content.workTables.find((t) => t.id === notice.tableId);
    const details = table ? tableDetails(table) : notice.tableId;
    const name = table ? `${table.id} · ${table.theme}` : notice.tableId;
    return { text: say(content, notice.kind === 'table_promoted' ? 'notice_table_promoted' : 'notice_table_reminder', { table: name, code: notice.code, details }) };
  }
  if (notice.kind === 'moderation') {
    return notice.hidden
      ? { text: say(content, 'notice_hidden', { id: notice.proposalId, reason: literal(notice.reason ?? '') }) }
      : { text: say(content, 'notice_unhidden', { id: notice.proposalId }) };
  }
  if (notice.kind === 'comment_moderation') {
    return notice.hidden
      ? { text: say(content, 'notice_comment_hidden', { commitment: notice.commitmentId, reason: literal(notice.reason ?? '') }) }
      : { text: say(content, 'notice_comment_unhidden', { commitment: notice.commitmentId }) };
  }
  if (notice.kind === 'draft_open') {
    const commitment = content.draftPlan?.commitments.find((k) => k.id === notice.commitmentId);
    const stage = content.consultation.stages.find((s) => s.id === 'draft_consultation');
    return {
      text: say(content, 'notice_draft_open', {
        id: notice.proposalId,
        title: literal(proposal?.title ?? ''),
        commitment: commitment ? `${commitment.id} ${commitment.title}` : (notice.commitmentId ?? ''),
        end: stage ? formatDate(stage.end) : '',
      }),
      options: [m.options.draft],
    };
  }
  const status = proposal ? m.status_labels[proposal.status] : '';
  let text = say(content, 'notice_status_changed', { id: notice.proposalId, title: literal(proposal?.title ?? ''), status });
  if (proposal?.answer) text += `\n\n${say(content, 'status_answer', { answer: literal(proposal.answer) })}`;
  return { text };
}

export function timelineReply(content: Content, now: Date): Reply {
  const c = content.consultation;
  const { current, next } = calendarPosition(c, now);
  const first = [...c.stages].sort((a, b) => a.start.localeCompare(b.start))[0]!;
  const parts: string[] = [];
  if (!current.length && next === first) {
    parts.push(say(content, 'timeline_before', { consultation: c.name, start: formatDate(first.start) }));
  } else if (!current.length && !next) {
    parts.push(say(content, 'timeline_after', { consultation: c.name }));
  }
  for (const s of current) parts.push(say(content, 'timeline_current', { stage: s.name, description: s.description, end: formatDate(s.end) }));
  if (next) parts.push(say(content, 'timeline_next', { stage: next.name, start: formatDate(next.start) }));
  const reception = receptionState(c, now);
  if (reception.state === 'open') parts.push(say(content, 'timeline_reception_open', { end: formatDate(reception.stage.end) }));
  return { text: parts.join('\n\n'), options: [...offerBesideDates(content, now), content.messages.options.calendar] };
}

/** What today allows, offered with an answer about dates: not "Fechas" itself, which that answer is. */
function offerBesideDates(content: Content, now: Date): string[] {
  const { option } = todayOffer(content, now);
  return option && option !== content.messages.options.timeline ? [option] : [];
}

/** "1 oct 2026": seven stages with both dates fit a phone screen only this short. */
const SHORT_DATE = new Intl.DateTimeFormat('es-CL', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** Every stage of the consultation with its dates, today's marked: "¿cuáles son las etapas?". */
export function calendarReply(content: Content, now: Date): Reply {
  const c = content.consultation;
  const { current } = calendarPosition(c, now);
  const lines = [...c.stages]
    .sort((a, b) => a.start.localeCompare(b.start))
    .map((s) => `- **${s.name}**: ${SHORT_DATE.format(new Date(s.start))} – ${SHORT_DATE.format(new Date(s.end))}${current.includes(s) ? ` ${say(content, 'calendar_now')}` : ''}`);
  const options = offerBesideDates(content, now);
  return { text: `${say(content, 'calendar_intro')}\n${lines.join('\n')}`, ...(options.length ? { options } : {}) };
}

/** What happens after a submission, per the calendar. */
export function submittedReply(content: Content, p: Proposal, now: Date): Reply {
  const c = content.consultation;
  const reception = receptionState(c, now).stage;
  const after = [...c.stages].sort((a, b) => a.start.localeCompare(b.start)).find((s) => s.start > reception.end);
  return {
    text: say(content, 'submitted', {
      id: p.id,
      reception_end: formatDate(reception.end),
      next: after ? say(content, 'submitted_next', { stage: after.name, start: formatDate(after.start) }) : '',
    }).replace(/ +\n/g, '\n'),
    options: [content.messages.options.my_proposals],
  };
}

/** Everything stored about a person, in their own words. */
export function myDataReply(content: Content, data: UserData): Reply {
  const m = content.messages;
  if (!data.proposals.length && (!data.session || data.session.form === 'context') && !data.notices.length && !data.opinions.length && !data.signups.length) return { text: say(content, 'my_data_empty') };
  const parts = [say(content, 'my_data_intro')];
  for (const p of data.proposals) {
    parts.push(`**${p.id}** (${m.status_labels[p.status]}, ${day(p.createdAt)})\n${summaryText(content, { ...p, ...p.contact })}`);
  }
  if (data.session?.form === 'proposal') {
    parts.push(`${say(content, 'my_data_draft')}\n${summaryText(content, data.session.draft)}`);
  }
  if (data.signups.length) parts.push(`${say(content, 'my_data_signups')}\n${signUpLines(content, data.signups)}`);
  if (data.opinions.length) parts.push(`${say(content, 'my_data_opinions')}\n${opinionLines(content, data.opinions, data.priority)}`);
  return { text: parts.join('\n\n'), options: [m.options.delete_data] };
}

/** When a stage runs, relative to today: "**Mesas de trabajo**: del 1 de diciembre … al … (ya terminó)". */
function stageWhen(content: Content, id: 'work_tables' | 'results' | 'selection' | 'plan_publication', now: Date): string {
  const stage = content.consultation.stages.find((s) => s.id === id);
  if (!stage) return '';
  const today = localDate(now, content.consultation.timezone);
  const span = `del ${formatDate(stage.start)} al ${formatDate(stage.end)}`;
  if (today < stage.start) return `**${stage.name}**: ${span}.`;
  if (today > stage.end) return `**${stage.name}**: ${span} (ya terminó).`;
  return `**${stage.name}**: en curso, hasta el ${formatDate(stage.end)}.`;
}

/** What the work tables are, and when, by the calendar. */
export function workTablesReply(content: Content, now: Date): Reply {
  const text = say(content, 'work_tables_info', { when: stageWhen(content, 'work_tables', now) });
  // "¿Dónde son?", "¿y en regiones?": where they are, without opening the sign-up list.
  const where = [...new Set(content.workTables.filter((t) => !t.online).map((t) => t.territory))];
  if (content.workTables.some((t) => t.online)) where.push(content.messages.messages.tables_online);
  const places = where.length ? `\n${say(content, 'work_tables_where', { places: new Intl.ListFormat('es', { type: 'conjunction' }).format(where) })}` : '';
  return { text: `${text}${places}`, options: [content.messages.options.timeline] };
}

/**
 * How proposals are selected and when results come out; with the public address (when the
 * installation has one), the results page and the person's own proposals' pages.
 */
export function resultsReply(content: Content, now: Date, mine: Proposal[], publicUrl?: string): Reply {
  const when = [stageWhen(content, 'results', now), stageWhen(content, 'selection', now), stageWhen(content, 'plan_publication', now)].filter(Boolean).join(' ');
  let text = say(content, 'results_info', { organizer: content.consultation.organizer, when });
  if (publicUrl) {
    text += `\n\n${say(content, 'results_link', { url: `${publicUrl}/resultados` })}`;
    const own = mine.filter((p) => p.status !== 'retirada').slice(0, 5);
    if (own.length) text += `\n${own.map((p) => `- [${p.id}](${publicUrl}/resultados/${p.id})`).join('\n')}`;
  } else {
    text += `\n\n${say(content, 'results_where')}`;
  }
  return mine.length ? { text, options: [content.messages.options.my_proposals] } : { text };
}
