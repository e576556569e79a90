/**
 * `/cabildo` for staff: `propuestas [estado] [comuna]`, `ver GA-…`, `estado GA-… <estado>
 * [respuesta]`, `resumen`, `exportar`. Parsing and the messages they produce; the Slack wiring
 * is in index.ts. Every action is recorded in the store's audit trail.
 */
import type { KnownBlock } from '@slack/types';
import type { TerritoryCatalog } from '../../src/territory/catalog.js';
import { inTerritory } from '../../src/territory/filter.js';
import { commentRef, parseCommentRef, PROPOSAL_STATUSES, type CommentRef, type Proposal, type ProposalStatus, type Store } from '../../src/index.js';
import { findTrackingNumber } from '../../src/nlu/rules.js';
import { summarise } from '../../src/staff/summary.js';
import { share, tallyDraft } from '../../src/staff/draft-tally.js';
import type { DraftPlan, WorkTable } from '../../src/content/schema.js';
// Store fields are raw text people wrote (not markdown): escapeMrkdwn, never toMrkdwn.
import { escapeMrkdwn } from './mrkdwn.js';

export const PAGE_SIZE = 10;
export const PAGE_ACTION = 'cabildo_page';
export const STATUS_ACTION = 'cabildo_status';
/** The proposal card's moderation button, and the modal that asks for the reason. */
export const HIDE_ACTION = 'cabildo_hide';
export const HIDE_VIEW = 'cabildo_hide_reason';

export type StaffCommand =
  | { kind: 'list'; status?: ProposalStatus; territory?: string; offset: number }
  | { kind: 'show'; id: string }
  | { kind: 'status'; id: string; status: ProposalStatus; answer?: string }
  | { kind: 'summary' }
  | { kind: 'export' }
  | { kind: 'draft' }
  | { kind: 'opinions'; commitment: string; page: number }
  | ({ kind: 'hide'; reason?: string } & ({ id: string } | { comment: CommentRef }))
  | { kind: 'respond'; commitment: string; text: string }
  | { kind: 'tables' }
  | { kind: 'signups'; table: string }
  | { kind: 'help'; problem?: string };

const isStatus = (s: string): s is ProposalStatus => (PROPOSAL_STATUSES as readonly string[]).includes(s);

export function parseCommand(text: string): StaffCommand {
  const [verb = '', ...rest] = text.trim().split(/\s+/);
  switch (verb.toLowerCase()) {
    case 'propuestas': {
      const status = rest[0] && isStatus(rest[0]) ? rest.shift() : undefined;
      const territory = rest.join(' ').trim();
      return { kind: 'list', offset: 0, ...(status ? { status: status as ProposalStatus } : {}), ...(territory ? { territory } : {}) };
    }
    case 'ver': {
      const id = findTrackingNumber(rest.join(' '));
      return id ? { kind: 'show', id } : { kind: 'help', problem: 'Indica el número: `/cabildo ver GA-2027-000123`' };
    }
    case 'estado': {
      const id = findTrackingNumber(rest[0] ?? '');
      const status = rest[1];
      if (!id || !status || !isStatus(status)) {
        return { kind: 'help', problem: `Uso: \`/cabildo estado GA-2027-000123 <estado> [respuesta]\`, con estado ${PROPOSAL_STATUSES.join(', ')}.` };
      }
      const answer = rest.slice(2).join(' ').trim();
      return { kind: 'status', id, status, ...(answer ? { answer } : {}) };
    }
    case 'resumen':
      return { kind: 'summary' };
    case 'exportar':
      return { kind: 'export' };
    case 'borrador':
      return { kind: 'draft' };
    case 'ocultar':
    case 'mostrar': {
      const comment = parseCommentRef(rest[0] ?? '');
      const id = comment ? undefined : findTrackingNumber(rest[0] ?? '');
      const reason = rest.slice(1).join(' ').trim();
      if ((!id && !comment) || (verb.toLowerCase() === 'ocultar' && !reason)) return { kind: 'help', problem: 'Uso: `/cabildo ocultar GA-2027-000123 <motivo>` (o un comentario: `C3:12`) y `/cabildo mostrar GA-2027-000123`.' };
      const target = comment ? { comment } : { id: id! };
      return { kind: 'hide', ...target, ...(verb.toLowerCase() === 'ocultar' ? { reason } : {}) };
    }
    case 'responder': {
      const commitment = /^c?(\d{1,3})$/i.exec(rest[0] ?? '')?.[1];
      const text = rest.slice(1).join(' ').trim();
      if (!commitment || !text) return { kind: 'help', problem: 'Uso: `/cabildo responder C3 <respuesta a la consulta>`' };
      return { kind: 'respond', commitment: `C${Number(commitment)}`, text };
    }
    case 'mesas':
      return { kind: 'tables' };
    case 'inscritos': {
      const table = /^m?(\d{1,3})$/i.exec(rest[0] ?? '')?.[1];
      return table ? { kind: 'signups', table: `M${Number(table)}` } : { kind: 'help', problem: 'Indica la mesa: `/cabildo inscritos M2`' };
    }
    case 'opiniones': {
      const commitment = /^c?(\d{1,3})$/i.exec(rest[0] ?? '')?.[1];
      if (!commitment) return { kind: 'help', problem: 'Indica el compromiso: `/cabildo opiniones C3 [página]`' };
      return { kind: 'opinions', commitment: `C${commitment}`, page: Math.max(1, Number(rest[1]) || 1) };
    }
    default:
      return { kind: 'help' };
  }
}

export const HELP = [
  '*Comandos de Cabildo para el equipo*',
  '• `/cabildo propuestas [estado] [comuna]`: lista, de la más nueva a la más antigua',
  '• `/cabildo ver GA-2027-000123`: la propuesta completa',
  '• `/cabildo estado GA-2027-000123 en_revision [respuesta]`: cambia el estado; la persona verá la respuesta',
  '• `/cabildo resumen`: conteos por estado, pilar, territorio y canal',
  '• `/cabildo exportar`: CSV de datos abiertos (sin datos personales)',
  '• `/cabildo borrador`: la consulta del borrador, por compromiso (de acuerdo, en desacuerdo, paso, comentarios, más importante)',
  '• `/cabildo opiniones C3 [página]`: los comentarios a un compromiso, del más nuevo al más antiguo',
  '• `/cabildo ocultar GA-2027-000123 <motivo>` / `mostrar GA-…`: oculta una propuesta de los resultados públicos (el motivo se muestra en su lugar y se avisa a quien la envió), o la vuelve a mostrar; lo mismo con un comentario del borrador por su referencia (`ocultar C3:12 <motivo>`, la que muestra `opiniones`)',
  '• `/cabildo responder C3 <texto>`: la respuesta del equipo a la consulta sobre un compromiso, publicada en /resultados/borrador',
  '• `/cabildo mesas`: las mesas de trabajo con inscritos, cupos y lista de espera',
  '• `/cabildo inscritos M2`: quiénes se inscribieron en una mesa y cómo contactarlos (queda registrado)',
  `Estados: ${PROPOSAL_STATUSES.join(', ')}.`,
].join('\n');

const line = (p: Proposal) => `• *${p.id}* · ${p.status} · ${escapeMrkdwn(p.territory)} · ${escapeMrkdwn(p.title)}`;

export async function listBlocks(store: Store, command: Extract<StaffCommand, { kind: 'list' }>, places?: TerritoryCatalog): Promise<KnownBlock[]> {
  // With the places, a region finds its communes too ("metropolitana" finds San Bernardo); without, the store's substring filter.
  const where = command.territory && places ? inTerritory(command.territory, places) : undefined;
  const all = (await store.list({ ...(command.status ? { status: command.status } : {}), ...(command.territory && !where ? { territory: command.territory } : {}) })).filter((p) => !where || where(p.territory));
  const page = all.slice(command.offset, command.offset + PAGE_SIZE);
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: page.length ? `*Propuestas* (${command.offset + 1}–${command.offset + page.length} de ${all.length})\n${page.map(line).join('\n')}` : 'No hay propuestas con ese filtro.' } },
  ];
  const buttons = [];
  if (command.offset > 0) buttons.push({ type: 'button' as const, action_id: `${PAGE_ACTION}_prev`, text: { type: 'plain_text' as const, text: 'Anteriores' }, value: JSON.stringify({ ...command, offset: Math.max(0, command.offset - PAGE_SIZE) }) });
  if (command.offset + PAGE_SIZE < all.length) buttons.push({ type: 'button' as const, action_id: `${PAGE_ACTION}_next`, text: { type: 'plain_text' as const, text: 'Siguientes' }, value: JSON.stringify({ ...command, offset: command.offset + PAGE_SIZE }) });
  if (buttons.length) blocks.push({ type: 'actions', elements: buttons });
  return blocks;
}

/** The whole proposal, for staff (contact details included: they are who may contact the person). */
export function proposalBlocks(p: Proposal, withStatusButtons: boolean): KnownBlock[] {
  const field = (label: string, value: string) => `*${label}:* ${escapeMrkdwn(value)}`;
  const contact = p.contact ? [p.contact.name, p.contact.organization, p.contact.email].filter(Boolean).join(', ') : 'anónima';
  const text = [
    `*${p.id}* · ${p.status} · ${p.channel} · ${p.createdAt.slice(0, 10)}`,
    field('Título', p.title),
    field('Problema', p.problem),
    field('Descripción', p.description),
    field('Actores', p.actors),
    field('Componentes', p.components),
    field('Institución', p.institution),
    field('Pilares', p.pillars.join(', ')),
    field('Territorio', p.territory),
    field('Contacto', contact),
    ...(p.answer ? [field('Respuesta', p.answer)] : []),
  ].join('\n');
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < text.length; i += 3000) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: text.slice(i, i + 3000) } });
  if (withStatusButtons) {
    blocks.push({
      type: 'actions',
      elements: [
        ...(['en_revision', 'seleccionada', 'no_seleccionada'] as const).map((status) => ({
          type: 'button' as const,
          action_id: `${STATUS_ACTION}_${status}`,
          text: { type: 'plain_text' as const, text: status.replace('_', ' ') },
          value: `${p.id}|${status}`,
        })),
        { type: 'button' as const, action_id: HIDE_ACTION, text: { type: 'plain_text' as const, text: p.hidden ? 'Mostrar en resultados' : 'Ocultar de resultados' }, value: p.id },
      ],
    });
  }
  return blocks;
}

export async function summaryText(store: Store): Promise<string> {
  const s = summarise(await store.list());
  const rows = (title: string, counts: Record<string, number>) =>
    `*${title}*\n${Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, n]) => `• ${escapeMrkdwn(k)}: ${n}`).join('\n') || '• —'}`;
  return [`*Resumen de la consulta*: ${s.total} propuestas`, rows('Por estado', s.byStatus), rows('Por pilar', s.byPillar), rows('Por territorio', s.byTerritory), rows('Por canal', s.byChannel)].join('\n\n');
}

/** The modal asking staff why a proposal is hidden (shown publicly in its place and sent to the author). */
export function hideModal(id: string) {
  return {
    type: 'modal' as const,
    callback_id: HIDE_VIEW,
    private_metadata: id,
    title: { type: 'plain_text' as const, text: 'Ocultar de resultados' },
    submit: { type: 'plain_text' as const, text: 'Ocultar' },
    close: { type: 'plain_text' as const, text: 'Cancelar' },
    blocks: [
      {
        type: 'input' as const,
        block_id: 'reason',
        label: { type: 'plain_text' as const, text: `Motivo para ocultar ${id}` },
        hint: { type: 'plain_text' as const, text: 'Se muestra en su lugar en los resultados públicos y se envía a quien la propuso.' },
        element: { type: 'plain_text_input' as const, action_id: 'reason', multiline: true, max_length: 500 },
      },
    ],
  };
}

/** The draft consultation per commitment, ranked by times chosen most important. */
export async function draftText(plan: DraftPlan, store: Store): Promise<string> {
  const rows = tallyDraft(plan, await store.opinions(), await store.priorities()).map(
    (t, i) =>
      `${i + 1}. *${t.id}* ${escapeMrkdwn(t.title)}: de acuerdo ${t.agree} (${share(t.agree, t.total)}) · en desacuerdo ${t.disagree} (${share(t.disagree, t.total)}) · paso ${t.pass} (${share(t.pass, t.total)}) · ${t.comments} comentarios · más importante ${t.mostImportant}`,
  );
  return `*Consulta del borrador*: ${escapeMrkdwn(plan.name)}\n${rows.join('\n')}`;
}

/** One page of a commitment's comments, newest first; the text is the citizen's, escaped. */
export async function opinionsText(plan: DraftPlan, store: Store, command: Extract<StaffCommand, { kind: 'opinions' }>): Promise<string> {
  const commitment = plan.commitments.find((k) => k.id === command.commitment);
  if (!commitment) return `No existe el compromiso ${command.commitment}; el borrador va de C1 a C${plan.commitments.length}.`;
  const all = (await store.opinions(commitment.id)).filter((o) => o.comment);
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const page = Math.min(command.page, pages);
  const shown = all
    .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    .map((o) => `• \`${commentRef(o)}\` ${o.at.slice(0, 10)} · ${o.vote}: ${escapeMrkdwn(o.comment!)}${o.hidden ? ` _(oculto: ${escapeMrkdwn(o.hidden.reason)})_` : ''}`);
  const header = `*${commitment.id}* ${escapeMrkdwn(commitment.title)}: ${all.length} comentarios (página ${page} de ${pages})`;
  return [header, ...shown].join('\n');
}

/** Every work table with its places taken, capacity and waitlist. */
export async function tablesText(tables: WorkTable[], store: Store): Promise<string> {
  if (!tables.length) return 'No hay mesas de trabajo: agrega data/work-tables.yaml.';
  const rows = await Promise.all(tables.map(async (t) => {
    const all = await store.signUps(t.id);
    const confirmed = all.filter((x) => x.status === 'confirmed').length;
    return `• *${t.id}* ${escapeMrkdwn(t.theme)} · ${t.date} ${t.time} · ${confirmed}/${t.capacity} inscritos · ${all.length - confirmed} en espera`;
  }));
  return `*Mesas de trabajo*\n${rows.join('\n')}`;
}

/** A table's sign-ups with contact details, for staff only (the caller records it in the audit trail). */
export async function signUpsText(tables: WorkTable[], store: Store, tableId: string): Promise<string> {
  const table = tables.find((t) => t.id === tableId);
  if (!table) return `No existe la mesa ${tableId}.`;
  const rows = (await store.signUps(tableId)).map((x, i) => `${i + 1}. ${escapeMrkdwn(x.name)} · ${escapeMrkdwn(x.email ?? x.phone ?? '')} · ${x.status === 'confirmed' ? 'cupo' : 'espera'} · ${x.code}`);
  return [`*${table.id}* ${escapeMrkdwn(table.theme)}: ${rows.length} inscritos (capacidad ${table.capacity})`, ...rows].join('\n');
}
