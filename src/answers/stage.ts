/**
 * What a person can do today, by the consultation calendar: one line for the welcome, help,
 * the fallback and the calendar, and the option that does it, offered first.
 */
import type { Content } from '../content/load.js';
import type { Stage, StageId } from '../content/schema.js';
import type { DialogState, Reply } from '../types.js';
import { MAX_OPTIONS } from '../types.js';
import { fillSlots } from './facts.js';
import { calendarPosition, formatDate } from './timeline.js';

export interface TodayOffer {
  line: string;
  /** The option that does what today allows; absent when nothing is open. */
  option?: string;
}

const RESULTS_STAGES: StageId[] = ['results', 'selection', 'plan_publication'];

export function todayOffer(content: Content, now: Date): TodayOffer {
  const { messages: m, consultation: c } = content;
  const { current, next } = calendarPosition(c, now);
  const say = (key: keyof typeof m.messages, slots: Record<string, string>) => fillSlots(m.messages[key], slots);
  const on = (id: StageId) => current.find((s) => s.id === id);
  const dates = (s: Stage) => ({ stage: s.name, end: formatDate(s.end), start: formatDate(s.start) });
  // The most actionable stage wins when two overlap.
  const draft = on('draft_consultation');
  if (draft && content.draftPlan) return { line: say('today_draft', dates(draft)), option: m.options.draft };
  const reception = on('reception');
  if (reception) return { line: say('today_reception', dates(reception)), option: m.options.start };
  const tables = on('work_tables');
  if (tables) return { line: say('today_work_tables', dates(tables)), option: m.options.tables };
  const results = current.find((s) => RESULTS_STAGES.includes(s.id));
  if (results) return { line: say('today_results', dates(results)), option: m.options.results };
  const awareness = on('awareness');
  const receptionStage = c.stages.find((s) => s.id === 'reception')!;
  if (awareness) return { line: say('today_awareness', { ...dates(awareness), next_start: formatDate(receptionStage.start) }), option: m.options.timeline };
  const first = [...c.stages].sort((a, b) => a.start.localeCompare(b.start))[0]!;
  if (next === first) return { line: say('today_before', { start: formatDate(first.start), stage: first.name.toLowerCase() }), option: m.options.timeline };
  if (next) return { line: say('today_between', dates(next)), option: m.options.timeline };
  return { line: say('today_after', {}), option: m.options.results };
}

/** Options that only make sense in one stage; offered only when that stage is on. */
function stageBound(content: Content): Set<string> {
  const o = content.messages.options;
  return new Set([o.start, o.draft, o.tables, o.results]);
}

/** The option that starts each flow: never offered while that flow is open. */
function flowOption(content: Content, open: DialogState['form'] | undefined): string | undefined {
  const o = content.messages.options;
  switch (open) {
    case 'proposal':
      return o.start;
    case 'draft':
      return o.draft;
    case 'signup':
      return o.tables;
    default:
      return undefined;
  }
}

/**
 * A reply with today's line added and today's option first (and other stages' options removed).
 * With a flow `open` (a question answered mid-form), what would start that flow again is
 * neither said nor offered.
 */
export function withTodayOffer(content: Content, reply: Reply, now: Date, open?: DialogState['form']): Reply {
  const offer = todayOffer(content, now);
  if (open && offer.option && offer.option === flowOption(content, open)) return fitOffers(content, reply, now, open);
  const bound = stageBound(content);
  const rest = (reply.options ?? []).filter((o) => o !== offer.option && !bound.has(o));
  const options = [...(offer.option ? [offer.option] : []), ...rest].slice(0, MAX_OPTIONS);
  return { text: `${reply.text}\n\n${offer.line}`, ...(options.length ? { options } : {}) };
}

/**
 * A reply's options as the calendar and the person's state allow: an option bound to a stage
 * ("Enviar propuesta", "Opinar el borrador"…) only when today offers it, and never the one that
 * starts the flow the person is in.
 */
export function fitOffers(content: Content, reply: Reply, now: Date, open?: DialogState['form']): Reply {
  if (!reply.options) return reply;
  const today = todayOffer(content, now).option;
  const bound = stageBound(content);
  const busy = flowOption(content, open);
  const options = reply.options.filter((o) => o !== busy && (!bound.has(o) || o === today));
  const { options: _all, ...rest } = reply;
  return options.length ? { ...rest, options } : rest;
}
