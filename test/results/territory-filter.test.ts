/** The public results' territory filter: a region finds its communes too. */
import { describe, expect, it } from 'vitest';
import { readQuery, select } from '../../adapters/results/pages.js';
import type { Proposal } from '../../src/types.js';
import { content } from '../helpers/conversation.js';
import { sample } from '../helpers/sample.js';

const proposal = (id: string, territory: string): Proposal =>
  ({ ...sample(1), id, territory, status: 'recibida', history: [], createdAt: '2027-03-15T12:00:00Z', updatedAt: '2027-03-15T12:00:00Z' }) as Proposal;

describe('/resultados?territorio=', () => {
  const all = [proposal('GA-2027-000001', 'San Bernardo'), proposal('GA-2027-000002', 'Concepción'), proposal('GA-2027-000003', 'Renca, Quilicura')];
  const ids = (territorio: string) => select(all, readQuery({ territorio }), content().places).map((p) => p.id);

  it('lists the proposals of every commune in a region, by name or number, and a commune by its nickname', () => {
    expect(ids('metropolitana')).toEqual(['GA-2027-000001', 'GA-2027-000003']);
    expect(ids('Región Metropolitana')).toEqual(['GA-2027-000001', 'GA-2027-000003']);
    expect(ids('8')).toEqual(['GA-2027-000002']);
    expect(ids('conce')).toEqual(['GA-2027-000002']);
    expect(ids('quilicura')).toEqual(['GA-2027-000003']);
  });
});
