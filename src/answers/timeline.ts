/**
 * The consultation calendar relative to today: which stage is on, what comes next, and whether
 * proposals are being received. Stage dates are whole local days in the consultation's time zone.
 */
import type { Consultation, Stage } from '../content/schema.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Today's date (YYYY-MM-DD) in the consultation's time zone. */
export function localDate(now: Date, timezone: string): string {
  // Building a formatter costs far more than using one, and this runs on every turn.
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timezone, format);
  }
  return format.format(now);
}

const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

/** "2027-08-10" → "10 de agosto de 2027". */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} de ${MONTHS[m! - 1]} de ${y}`;
}

export interface CalendarPosition {
  /** Stages on today (stages may overlap). */
  current: Stage[];
  /** The first stage starting after today. */
  next?: Stage;
  today: string;
}

export function calendarPosition(consultation: Consultation, now: Date): CalendarPosition {
  const today = localDate(now, consultation.timezone);
  const stages = [...consultation.stages].sort((a, b) => a.start.localeCompare(b.start));
  const next = stages.find((s) => s.start > today);
  return { current: stages.filter((s) => s.start <= today && today <= s.end), ...(next ? { next } : {}), today };
}

export type Reception = { state: 'open'; stage: Stage } | { state: 'not_open'; stage: Stage } | { state: 'closed'; stage: Stage };

/** Whether proposals are received today. */
export function receptionState(consultation: Consultation, now: Date): Reception {
  const today = localDate(now, consultation.timezone);
  const stage = consultation.stages.find((s) => s.id === 'reception')!;
  if (today < stage.start) return { state: 'not_open', stage };
  if (today > stage.end) return { state: 'closed', stage };
  return { state: 'open', stage };
}
