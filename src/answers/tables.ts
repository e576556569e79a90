/** Work tables as people read them: which take sign-ups today, a table's details, a list line. */
import type { Content } from '../content/load.js';
import type { WorkTable } from '../content/schema.js';
import type { Store } from '../store/port.js';
import { formatDate, localDate } from './timeline.js';

/** Tables whose sign-up is still open today (deadline included), in date order. */
export function openTables(content: Content, now: Date): WorkTable[] {
  const today = localDate(now, content.consultation.timezone);
  return content.workTables.filter((t) => t.signup_deadline >= today).sort((a, b) => (a.date + a.time).localeCompare(b.date + b.time));
}

/** "M2 · Participación ciudadana…" and when and where, on separate lines. */
export function tableDetails(t: WorkTable): string {
  const where = t.online ? `En línea: ${t.online}` : `Lugar: ${t.place}`;
  return `**${t.id} · ${t.theme}**\n${formatDate(t.date)}, ${t.time} h\n${where}`;
}

/** One line of the list, with the places left (or the waitlist) as the store counts them now. */
export async function tableLine(t: WorkTable, store: Store): Promise<string> {
  const confirmed = (await store.signUps(t.id)).filter((x) => x.status === 'confirmed').length;
  const left = t.capacity - confirmed;
  const places = left > 0 ? `quedan ${left} cupos` : 'llena: lista de espera';
  const where = t.online ? 'en línea' : t.territory;
  return `- **${t.id}** ${t.theme}: ${formatDate(t.date)}, ${t.time} h, ${where} (${places}; inscripción hasta el ${formatDate(t.signup_deadline)})`;
}

export function findTable(content: Content, text: string): { id: string; table?: WorkTable } | undefined {
  const id = /\bm\s?-?(\d{1,3})\b/i.exec(text)?.[1];
  if (!id) return undefined;
  return { id: `M${Number(id)}`, table: content.workTables.find((t) => t.id === `M${Number(id)}`) };
}
