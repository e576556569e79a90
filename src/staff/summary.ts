/** Counts over the consultation's proposals, for staff: by status, pillar, territory and channel. */
import type { Proposal } from '../types.js';

export interface ProposalSummary {
  total: number;
  byStatus: Record<string, number>;
  byPillar: Record<string, number>;
  byTerritory: Record<string, number>;
  byChannel: Record<string, number>;
}

export function summarise(proposals: Proposal[]): ProposalSummary {
  const count = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
  const summary: ProposalSummary = { total: proposals.length, byStatus: {}, byPillar: {}, byTerritory: {}, byChannel: {} };
  for (const p of proposals) {
    count(summary.byStatus, p.status);
    for (const pillar of p.pillars) count(summary.byPillar, pillar);
    count(summary.byTerritory, p.territory);
    count(summary.byChannel, p.channel);
  }
  return summary;
}
