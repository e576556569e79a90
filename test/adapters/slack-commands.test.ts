import { describe, expect, it } from 'vitest';
import { listBlocks, parseCommand, PAGE_SIZE } from '../../adapters/slack/staff-commands.js';
import { toMrkdwn } from '../../adapters/slack/mrkdwn.js';
import { renderSlack } from '../../adapters/slack/render.js';
import { openMemoryStore } from '../../src/store/open.js';
import { sample } from '../helpers/sample.js';

describe('/cabildo parsing', () => {
  it('reads each command, its filters and arguments', () => {
    expect(parseCommand('propuestas en_revision San Pedro de la Paz')).toEqual({ kind: 'list', offset: 0, status: 'en_revision', territory: 'San Pedro de la Paz' });
    expect(parseCommand('propuestas Renca')).toEqual({ kind: 'list', offset: 0, territory: 'Renca' });
    expect(parseCommand('ver ga2027000012')).toEqual({ kind: 'show', id: 'GA-2027-000012' });
    expect(parseCommand('estado GA-2027-000012 no_seleccionada No cumple los criterios OGP.')).toEqual({ kind: 'status', id: 'GA-2027-000012', status: 'no_seleccionada', answer: 'No cumple los criterios OGP.' });
    expect(parseCommand('estado GA-2027-000012 aprobada')).toMatchObject({ kind: 'help', problem: expect.stringMatching(/recibida, en_revision/) });
    expect(parseCommand('')).toEqual({ kind: 'help' });
  });
});

describe('staff list', () => {
  it('pages newest first with buttons both ways', async () => {
    const store = openMemoryStore();
    for (let i = 1; i <= 25; i++) await store.submit(sample(i), new Date('2027-03-15T12:00:00Z'), 2027);
    const first = JSON.stringify(await listBlocks(store, { kind: 'list', offset: 0 }));
    expect(first).toContain('(1–10 de 25)');
    expect(first).toContain('GA-2027-000025');
    expect(first).not.toContain('GA-2027-000015');
    expect(first).toContain('cabildo_page_next');
    expect(first).not.toContain('cabildo_page_prev');
    const last = JSON.stringify(await listBlocks(store, { kind: 'list', offset: 2 * PAGE_SIZE }));
    expect(last).toContain('(21–25 de 25)');
    expect(last).toContain('GA-2027-000001');
    expect(last).toContain('cabildo_page_prev');
    expect(last).not.toContain('cabildo_page_next');
  });
});

describe('Slack rendering', () => {
  it('escapes what Slack would read as markup and keeps within its limits', () => {
    expect(toMrkdwn('**a** <b> & [c](https://d.cl)\n- e')).toBe('*a* &lt;b&gt; &amp; <https://d.cl|c>\n• e');
    const long = renderSlack({ text: 'x'.repeat(9000), options: ['Sí'] });
    expect(long.text.length).toBeLessThanOrEqual(4000);
    expect(long.blocks.every((b) => b.type !== 'section' || (b.text?.text.length ?? 0) <= 3000)).toBe(true);
  });
});
