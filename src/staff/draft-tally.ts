/** Tallies of the draft consultation for staff (Slack, CLI): votes, comments and "most important", per commitment. */
import type { DraftPlan } from '../content/schema.js';
import type { Opinion, Priority } from '../types.js';

export interface CommitmentTally {
  id: string;
  title: string;
  agree: number;
  disagree: number;
  pass: number;
  /** People who voted on it. */
  total: number;
  comments: number;
  /** Times chosen as the most important commitment. */
  mostImportant: number;
}

/** One row per commitment, ranked by times chosen most important (ties in the plan's order). */
export function tallyDraft(plan: DraftPlan, opinions: Opinion[], priorities: Priority[]): CommitmentTally[] {
  const rows = new Map(plan.commitments.map((k) => [k.id, { id: k.id, title: k.title, agree: 0, disagree: 0, pass: 0, total: 0, comments: 0, mostImportant: 0 }]));
  for (const o of opinions) {
    const row = rows.get(o.commitmentId);
    if (!row) continue;
    row[o.vote]++;
    row.total++;
    if (o.comment) row.comments++;
  }
  for (const p of priorities) {
    const row = rows.get(p.commitmentId);
    if (row) row.mostImportant++;
  }
  return [...rows.values()].sort((a, b) => b.mostImportant - a.mostImportant);
}

/** "45 %": a share of the people who voted on the commitment, rounded. */
export function share(n: number, total: number): string {
  return total ? `${Math.round((100 * n) / total)} %` : '—';
}
