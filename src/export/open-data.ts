/**
 * Proposals as open data: no personal field at all, and the personal data people typed into the
 * free text masked (src/privacy/mask.ts). What stays is what the consultation publishes.
 */
import { stringify } from 'csv-stringify/sync';
import { maskPersonalData } from '../privacy/mask.js';
import type { Proposal, ProposalFields } from '../types.js';

/** One flat row: the proposal's fields as text, the staff answer, and contact details unless open data. */
export type ExportedProposal = Pick<Proposal, 'id' | 'createdAt' | 'updatedAt' | 'status' | 'channel'> &
  Omit<ProposalFields, 'pillars'> & {
    /** Pillars joined with `;`. */
    pillars: string;
    answer: string;
    contact_name?: string;
    contact_organization?: string;
    contact_email?: string;
  };

const FREE_TEXT = ['title', 'problem', 'description', 'actors', 'components', 'institution', 'territory', 'answer'] as const;

/** One flat record per proposal; `openData` drops personal fields and masks the free text. */
export function exportRecord(p: Proposal, openData: boolean): ExportedProposal {
  const record: ExportedProposal = {
    id: p.id,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    status: p.status,
    channel: p.channel,
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
  return { ...record, contact_name: p.contact?.name ?? '', contact_organization: p.contact?.organization ?? '', contact_email: p.contact?.email ?? '' };
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
