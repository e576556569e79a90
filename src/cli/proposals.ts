/** `cabildo proposals …`: staff tools on the store, each action recorded with who did it. */
import { userInfo } from 'node:os';
import { commentRef, parseCommentRef } from '../comment-ref.js';
import { CabildoError } from '../errors.js';
import { DEFAULT_LICENCE, exportable, exportRecord, openDataFile, toCsv } from '../export/open-data.js';
import { PROPOSAL_STATUSES, type Proposal, type ProposalStatus } from '../types.js';
import { findTrackingNumber } from '../nlu/rules.js';
import { loadContent } from '../content/load.js';
import { inTerritory } from '../territory/filter.js';
import { readSettings } from './config.js';
import { openStore } from './open.js';

/** Who is acting, for the audit trail: `CABILDO_ACTOR`, else the operating-system user. */
function actor(): string {
  return `cli:${process.env.CABILDO_ACTOR ?? userInfo().username}`;
}

function line(p: Proposal): string {
  return `${p.id}  ${p.createdAt.slice(0, 10)}  ${p.status.padEnd(15)}  ${p.territory.slice(0, 20).padEnd(20)}  ${p.title}`;
}

export async function listProposals(filter: { status?: string; territory?: string }): Promise<void> {
  const status = filter.status === undefined ? undefined : parseStatus(filter.status);
  // A region finds its communes too, so the territory is matched here, not by the store's substring filter.
  const where = filter.territory ? inTerritory(filter.territory, loadContent(readSettings().contentDir).places) : undefined;
  const store = await openStore();
  try {
    const proposals = (await store.list(status ? { status } : {})).filter((p) => !where || where(p.territory));
    process.stdout.write(proposals.length ? `${proposals.map(line).join('\n')}\n` : 'No proposals.\n');
  } finally {
    await store.close();
  }
}

export async function showProposal(id: string): Promise<void> {
  const store = await openStore();
  try {
    const p = await store.get(parseId(id));
    if (!p) throw new CabildoError('CONFIG_INVALID', `No proposal ${parseId(id)}.`);
    const { userKey: _key, ...shown } = p;
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
  } finally {
    await store.close();
  }
}

export async function setProposalStatus(id: string, status: string, answer: string | undefined): Promise<void> {
  const settings = readSettings();
  const store = await openStore(settings);
  try {
    const outcome = await store.setStatus(parseId(id), { status: parseStatus(status), ...(answer ? { answer } : {}), actor: actor() }, settings.clock());
    if (outcome.kind === 'not_found') throw new CabildoError('CONFIG_INVALID', `No proposal ${parseId(id)}.`);
    if (outcome.kind === 'withdrawn') {
      throw new CabildoError('PROPOSAL_WITHDRAWN', `${parseId(id)} was withdrawn by its author; its status can no longer be changed.`);
    }
    const p = outcome.proposal;
    process.stdout.write(`${p.id} is now ${p.status}.${p.userKey ? ' The citizen will see it on their next message.' : ''}\n`);
  } finally {
    await store.close();
  }
}

/** Moderation: hides a proposal or a draft comment from the public results with a reason (or, without one, shows it again). */
export async function setProposalHidden(id: string, reason: string | undefined): Promise<void> {
  if (reason !== undefined && !reason.trim()) throw new CabildoError('CONFIG_INVALID', '--reason must say why the proposal is hidden (it is shown in its place and sent to the author).');
  const settings = readSettings();
  const store = await openStore(settings);
  try {
    // A draft comment by its reference (`C3:12`, as the results page and `draft opinions` show it), or a proposal.
    const comment = parseCommentRef(id);
    if (comment) {
      if ((await store.setCommentHidden(comment, reason?.trim(), actor(), settings.clock())) === 'not_found') throw new CabildoError('CONFIG_INVALID', `No comment ${commentRef(comment)}.`);
    } else if ((await store.setHidden(parseId(id), reason?.trim(), actor(), settings.clock())) === 'not_found') throw new CabildoError('CONFIG_INVALID', `No proposal ${parseId(id)}.`);
    const name = comment ? `Comment ${commentRef(comment)}` : parseId(id);
    process.stdout.write(`${name} is ${reason !== undefined ? 'hidden from' : 'shown again in'} the public results; its author will be told.\n`);
  } finally {
    await store.close();
  }
}

export async function exportProposals(format: string, openData: boolean): Promise<void> {
  if (format !== 'csv' && format !== 'json') throw new CabildoError('CONFIG_INVALID', `--format must be csv or json (got ${JSON.stringify(format)}).`);
  const settings = readSettings();
  const store = await openStore(settings);
  try {
    const proposals = await store.list();
    const records = exportable(proposals).map((p) => exportRecord(p, openData));
    await store.audit({ at: settings.clock().toISOString(), actor: actor(), action: openData ? 'export_open_data' : 'export', detail: `${records.length} ${format}` });
    // Open data is exactly what /datos publishes (one function); the staff export adds contact details.
    if (openData) process.stdout.write(openDataFile(proposals, format, process.env.CABILDO_DATA_LICENSE || DEFAULT_LICENCE));
    else process.stdout.write(format === 'csv' ? toCsv(records, false) : `${JSON.stringify(records, null, 2)}\n`);
  } finally {
    await store.close();
  }
}

function parseStatus(value: string): ProposalStatus {
  if ((PROPOSAL_STATUSES as readonly string[]).includes(value)) return value as ProposalStatus;
  throw new CabildoError('CONFIG_INVALID', `Unknown status ${JSON.stringify(value)}; use one of: ${PROPOSAL_STATUSES.join(', ')}.`);
}

function parseId(value: string): string {
  const id = findTrackingNumber(value);
  if (!id) throw new CabildoError('CONFIG_INVALID', `${JSON.stringify(value)} is not a tracking number (expected GA-2026-000123).`);
  return id;
}
