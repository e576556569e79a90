/**
 * What an email says, in Spanish: a plain-text body and the same as simple HTML (no images, no
 * tracking, no remote content). Everything a person or the staff wrote (titles, answers,
 * reasons, names) is escaped for HTML and never goes into a header; the subject holds only
 * tracking numbers, table ids, labels and dates from the content.
 */
import escapeHtml from 'escape-html';
import type { Content } from '../../src/index.js';
import { formatDate } from '../../src/answers/timeline.js';
import type { Proposal, SignUp } from '../../src/index.js';
import type { EmailItem } from '../../src/store/outbox.js';

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}

/** What the item refers to, as the store holds it now. */
export interface EmailContext {
  proposal?: Proposal;
  signUp?: SignUp;
  /** Where people reach the server (`CABILDO_PUBLIC_URL`), without a trailing slash. */
  publicUrl: string;
  /** The signed link that unsubscribes this address. */
  unsubscribeUrl: string;
}

/** A paragraph, the staff's words set apart, or a link. */
type Block = { p: string } | { quote: string } | { link: string; label: string };

export function composeEmail(content: Content, item: EmailItem, ctx: EmailContext): ComposedEmail {
  const { subject, blocks, reason } = body(content, item, ctx);
  const name = ctx.proposal?.contact?.name ?? ctx.signUp?.name;
  const greeting = name ? `Hola, ${name}:` : 'Hola:';
  const all: Block[] = [{ p: greeting }, ...blocks];
  const footer = `Cabildo · ${content.consultation.name}\nRecibes este correo porque dejaste tu dirección en Cabildo ${reason}. Es un aviso automático: no respondas a este mensaje.`;
  const text = [
    ...all.map((b) => ('p' in b ? b.p : 'quote' in b ? b.quote.split('\n').map((l) => `> ${l}`).join('\n') : `${b.label}: ${b.link}`)),
    `-- \n${footer}\nPara no recibir más correos: ${ctx.unsubscribeUrl}`,
  ].join('\n\n');
  const html = [
    '<!doctype html>',
    '<html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>',
    escapeHtml(subject),
    '</title></head><body style="font-family:sans-serif;line-height:1.5;max-width:40em">',
    ...all.map(blockHtml),
    '<hr>',
    `<p style="font-size:smaller">${lines(footer)}<br><a href="${escapeHtml(ctx.unsubscribeUrl)}">No quiero recibir más correos</a></p>`,
    '</body></html>',
  ].join('');
  return { subject: oneLine(subject), text: `${text}\n`, html };
}

function blockHtml(b: Block): string {
  if ('p' in b) return `<p>${lines(b.p)}</p>`;
  if ('quote' in b) return `<blockquote style="margin-left:0;padding-left:1em;border-left:3px solid #999">${lines(b.quote)}</blockquote>`;
  return `<p><a href="${escapeHtml(b.link)}">${escapeHtml(b.label)}</a></p>`;
}

/** Escaped, with line breaks kept. */
function lines(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, '<br>');
}

/** A header value cannot carry a line break. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function body(content: Content, item: EmailItem, ctx: EmailContext): { subject: string; blocks: Block[]; reason: string } {
  const PROPOSAL = 'al enviar tu propuesta';
  const TABLE = 'al inscribirte en una mesa de trabajo';
  const p = ctx.proposal;
  const title = p ? ` («${p.title}»)` : '';
  const chat = 'Escríbele a Cabildo en el chat si quieres saber más.';
  switch (item.kind) {
    case undefined:
    case 'status': {
      const status = p ? content.messages.status_labels[p.status] : '';
      const blocks: Block[] = [{ p: `Tu propuesta ${item.proposalId}${title} tiene novedades: ahora está ${status}.` }];
      if (p?.answer) blocks.push({ p: 'Respuesta del equipo:' }, { quote: p.answer });
      blocks.push({ link: `${ctx.publicUrl}/resultados/${item.proposalId}`, label: 'Ver tu propuesta en los resultados' });
      return { subject: `Tu propuesta ${item.proposalId}: ${status}`, blocks, reason: PROPOSAL };
    }
    case 'draft_open': {
      const commitment = content.draftPlan?.commitments.find((k) => k.id === item.commitmentId);
      const stage = content.consultation.stages.find((s) => s.id === 'draft_consultation');
      const named = commitment ? `${commitment.id} «${commitment.title}»` : item.commitmentId;
      return {
        subject: `Tu propuesta ${item.proposalId} está en el borrador del plan: opina`,
        blocks: [
          { p: `Tu propuesta ${item.proposalId}${title} quedó integrada en el compromiso ${named} del borrador del plan.` },
          { p: `La consulta pública del borrador está abierta${stage ? ` hasta el ${formatDate(stage.end)}` : ''}. Para opinar, escríbele a Cabildo en el chat «quiero opinar sobre el borrador».` },
          { link: `${ctx.publicUrl}/resultados/borrador`, label: 'Ver el borrador y sus resultados' },
        ],
        reason: PROPOSAL,
      };
    }
    case 'moderation':
      return item.hidden
        ? {
            subject: `Tu propuesta ${item.proposalId} se ocultó de los resultados públicos`,
            blocks: [{ p: `El equipo ocultó tu propuesta ${item.proposalId}${title} de los resultados públicos. Sigue en la consulta.` }, { p: 'Motivo:' }, { quote: item.reason ?? '' }, { p: chat }],
            reason: PROPOSAL,
          }
        : {
            subject: `Tu propuesta ${item.proposalId} vuelve a los resultados públicos`,
            blocks: [{ p: `Tu propuesta ${item.proposalId}${title} vuelve a mostrarse en los resultados públicos.` }, { link: `${ctx.publicUrl}/resultados/${item.proposalId}`, label: 'Ver tu propuesta' }],
            reason: PROPOSAL,
          };
    case 'comment_moderation':
      // Never queued (opinions hold no contact data); worded for completeness.
      return { subject: 'Novedades de tu comentario', blocks: [{ p: chat }], reason: PROPOSAL };
    case 'table_signup':
    case 'table_promoted':
    case 'table_reminder': {
      const table = content.workTables.find((t) => t.id === item.tableId);
      const named = table ? `${table.id} · ${table.theme}` : item.tableId;
      const details: Block[] = table
        ? [{ p: `${formatDate(table.date)}, ${table.time} h\n${table.online ? `En línea: ${table.online}` : `Lugar: ${table.place}`}` }]
        : [];
      const cancel: Block = { p: `Si no puedes ir, escríbele a Cabildo en el chat «cancelar inscripción ${item.code}» para liberar tu cupo.` };
      if (item.kind === 'table_reminder') {
        return { subject: `Recuerda: mañana es la mesa ${named}`, blocks: [{ p: `Mañana es la mesa de trabajo ${named}. Tu código es ${item.code}.` }, ...details, cancel], reason: TABLE };
      }
      if (item.kind === 'table_promoted') {
        return { subject: `Tienes cupo en la mesa ${named}`, blocks: [{ p: `¡Se liberó un cupo! Ya tienes lugar en la mesa de trabajo ${named}. Tu código es ${item.code}.` }, ...details, cancel], reason: TABLE };
      }
      if (ctx.signUp?.status === 'waitlist') {
        return {
          subject: `Estás en la lista de espera de la mesa ${named}`,
          blocks: [{ p: `Estás en la lista de espera de la mesa de trabajo ${named} (código ${item.code}). Si se libera un cupo, te avisamos.` }, ...details],
          reason: TABLE,
        };
      }
      return { subject: `Inscripción confirmada: mesa ${named}`, blocks: [{ p: `Tienes cupo en la mesa de trabajo ${named}. Tu código es ${item.code}.` }, ...details, cancel], reason: TABLE };
    }
  }
}
