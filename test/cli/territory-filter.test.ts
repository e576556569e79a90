import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { PROPOSAL_ANSWERS } from '../helpers/conversation.js';

describe('cabildo proposals list --territory', () => {
  it('finds the communes of a region ("metropolitana" finds San Bernardo), by number too, and a commune by its nickname', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'cabildo-territory-')), 'db.json');
    // A citizen files three proposals through the chat, saying the territory as people do.
    const filed: [string, string][] = [
      ['Luminarias para San Bernardo', 'San Bernardo'],
      ['Ferias libres de Concepción', 'conce'],
      ['Cuentas públicas en Valparaíso', 'valpo'],
    ];
    const messages = filed.flatMap(([title, territory]) => ['enviar propuesta', title, ...PROPOSAL_ANSWERS.slice(1, -1), territory, 'no', 'confirmar']);
    const chat = await cli(['chat', '--json', '--user', 'ana'], `${messages.join('\n')}\n`, { CABILDO_DB: db });
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('GA-2027-000003');
    const list = async (territory: string) => {
      const run = await cli(['proposals', 'list', '--territory', territory], '', { CABILDO_DB: db });
      expect(run.code).toBe(0);
      return run.stdout;
    };

    const metropolitana = await list('metropolitana');
    expect(metropolitana).toMatch(/GA-2027-000001 .*San Bernardo .*Luminarias para San Bernardo/);
    expect(metropolitana).not.toMatch(/Concepción|Valparaíso/);

    const biobio = await list('8');
    expect(biobio).toMatch(/Concepción .*Ferias libres/);
    expect(biobio).not.toMatch(/San Bernardo|Valparaíso/);

    const conce = await list('conce');
    expect(conce).toMatch(/Ferias libres/);
    expect(conce.trim().split('\n')).toHaveLength(1);
  }, 120_000);
});
