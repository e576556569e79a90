/**
 * Proposals as open data: no personal field at all, and the personal data people typed into the
 * free text masked (src/privacy/mask.ts). What stays is what the consultation publishes.
 */
import { stringify } from 'csv-stringify/sync';
import { maskPersonalData } from '../privacy/mask.js';
import type { Proposal, ProposalFields } from '../types.js';

/** One flat row: the proposal's fields as text, the staff answer, and (for staff only) channel and contact details. */
export type ExportedProposal = Pick<Proposal, 'id' | 'createdAt' | 'updatedAt' | 'status'> &
  Partial<Pick<Proposal, 'channel'>> &
  Omit<ProposalFields, 'pillars'> & {
    /** Pillars joined with `;`. */
    pillars: string;
    answer: string;
    contact_name?: string;
    contact_organization?: string;
    contact_email?: string;
  };

const FREE_TEXT = ['title', 'problem', 'description', 'actors', 'components', 'institution', 'territory', 'answer'] as const;

/** One flat record per proposal; `openData` drops the channel and contact details and masks the free text. */
export function exportRecord(p: Proposal, openData: boolean): ExportedProposal {
  const record: ExportedProposal = {
    id: p.id,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    status: p.status,
    title: p.title,
    problem: p.problem,
    description: p.description,
    actors: p.actors,
    components: p.components,
    institution: p.institution,
    pillars: p.pillars.join(';'),
    territory: p.territory,
    answer: p.answer ?? '',
  };
  if (openData) {
    for (const field of FREE_TEXT) record[field] = maskPersonalData(record[field]);
    return record;
  }
  return { ...record, channel: p.channel, contact_name: p.contact?.name ?? '', contact_organization: p.contact?.organization ?? '', contact_email: p.contact?.email ?? '' };
}

/**
 * CSV with a header row. Cells starting with `=`, `+`, `-` or `@` are escaped so a spreadsheet
 * opening the file does not run them as formulas.
 */
export function toCsv(records: ExportedProposal[], openData: boolean): string {
  const columns = Object.keys(exportRecord(EMPTY, openData));
  return stringify(records, { header: true, columns, escape_formulas: true });
}

const EMPTY: Proposal = {
  id: '', createdAt: '', updatedAt: '', channel: '', title: '', problem: '', description: '', actors: '', components: '',
  institution: '', pillars: [], territory: '', consent: false, status: 'recibida', history: [],
};

/**
 * The proposals an export may contain, oldest first: a withdrawn proposal is never exported,
 * not even to staff (its author took it back).
 */
export function exportable(proposals: Proposal[]): Proposal[] {
  return proposals.filter((p) => p.status !== 'retirada').reverse();
}

/** The data card of `propuestas.csv` / `.json`: every published field, its type and meaning, in Spanish. */
/** One field of a published file, as the data card and the JSON files' `fields` describe it. */
export interface FieldCard {
  name: string;
  type: string;
  meaning: string;
}

export const PROPOSAL_FIELDS: (FieldCard & { name: keyof ExportedProposal })[] = [
  { name: 'id', type: 'texto', meaning: 'Número de seguimiento, GA-<año de envío>-<6 dígitos>, único.' },
  { name: 'createdAt', type: 'fecha y hora ISO 8601 (UTC)', meaning: 'Cuándo se recibió la propuesta.' },
  { name: 'updatedAt', type: 'fecha y hora ISO 8601 (UTC)', meaning: 'Último cambio de estado o de texto.' },
  { name: 'status', type: 'texto', meaning: 'Estado: recibida, en_revision, seleccionada o no_seleccionada. Las retiradas no se publican.' },
  { name: 'title', type: 'texto', meaning: 'Título que le dio quien la envió.' },
  { name: 'problem', type: 'texto', meaning: 'Problema público que busca resolver.' },
  { name: 'description', type: 'texto', meaning: 'Qué compromiso propone y qué resultados espera.' },
  { name: 'actors', type: 'texto', meaning: 'Actores que participarían.' },
  { name: 'components', type: 'texto', meaning: 'Actividades y productos.' },
  { name: 'institution', type: 'texto', meaning: 'Institución que debería ser responsable.' },
  { name: 'pillars', type: 'lista separada por «;»', meaning: 'Pilares: transparency, participation, accountability, collaboration, innovation.' },
  { name: 'territory', type: 'texto', meaning: 'Nacional, una región o una comuna, con su nombre oficial (varias, separadas por coma).' },
  { name: 'answer', type: 'texto', meaning: 'Respuesta razonada del equipo (vacía si aún no hay).' },
];

/** `/datos/borrador.*`: one row per draft commitment. */
export const DRAFT_FIELDS: FieldCard[] = [
  { name: 'id', type: 'texto', meaning: 'Compromiso del borrador (C1, C2…).' },
  { name: 'title', type: 'texto', meaning: 'Título del compromiso.' },
  { name: 'agree', type: 'entero', meaning: 'Personas de acuerdo.' },
  { name: 'disagree', type: 'entero', meaning: 'Personas en desacuerdo.' },
  { name: 'pass', type: 'entero', meaning: 'Personas que lo vieron y pasaron, sin tomar posición.' },
  { name: 'total', type: 'entero', meaning: 'Personas que opinaron (la suma de las tres anteriores).' },
  { name: 'comments', type: 'entero', meaning: 'Comentarios escritos, incluidos los ocultos por moderación.' },
  { name: 'mostImportant', type: 'entero', meaning: 'Veces que se eligió como el compromiso más importante del borrador.' },
];

/** `/datos/opiniones.*`: one row per published comment. */
export const OPINION_FIELDS: FieldCard[] = [
  { name: 'id', type: 'texto', meaning: 'Referencia del comentario, <compromiso>:<número> (C3:12); los números no se reutilizan.' },
  { name: 'commitment', type: 'texto', meaning: 'Compromiso comentado (C1, C2…).' },
  { name: 'vote', type: 'texto', meaning: 'Opinión de quien comentó: agree, disagree o pass.' },
  { name: 'comment', type: 'texto', meaning: 'El comentario, con los datos personales ocultos. Los ocultos por moderación no se publican.' },
  { name: 'at', type: 'fecha y hora ISO 8601 (UTC)', meaning: 'Cuándo se escribió.' },
];

/** Every published JSON file's shape (the Metagov "Interoperable Deliberative Tools" style): licence, date, fields, records. */
function jsonFile(licence: string, generatedAt: Date, fields: unknown[], records: object[]): string {
  return `${JSON.stringify({ licence, generated_at: generatedAt.toISOString(), fields, records }, null, 2)}\n`;
}

/** When the published data last changed: the newest change among exportable proposals. */
export function lastChange(proposals: Proposal[]): Date {
  return new Date(exportable(proposals).reduce((latest, p) => (p.updatedAt > latest ? p.updatedAt : latest), '1970-01-01T00:00:00.000Z'));
}

/**
 * The published proposals file, in the format asked: what `/datos` serves and `proposals export
 * --open-data` prints, byte for byte (dated by the data's last change, not by the request).
 */
export function openDataFile(proposals: Proposal[], format: 'csv' | 'json', licence: string): string {
  // A proposal hidden by moderation is left out of the public files (its page shows why).
  const records = exportable(proposals).filter((p) => !p.hidden).map((p) => exportRecord(p, true));
  return format === 'csv' ? toCsv(records, true) : jsonFile(licence, lastChange(proposals), PROPOSAL_FIELDS, records);
}

/** Any other published table (draft tallies, comments) in the same two shapes: CSV with formula escaping, or JSON with licence and fields. */
export function tableFile(records: object[], fields: FieldCard[], format: 'csv' | 'json', licence: string, generatedAt: Date): string {
  if (format === 'csv') return stringify(records, { header: true, columns: fields.map((f) => f.name), escape_formulas: true });
  return jsonFile(licence, generatedAt, fields, records);
}

/** Open data is published under this licence unless `CABILDO_DATA_LICENSE` names another. */
export const DEFAULT_LICENCE = 'CC BY 4.0';
