import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { PROPOSAL_ANSWERS, ROOT } from '../helpers/conversation.js';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'cabildo-cli-')), 'db.json');

describe('cabildo chat --json', () => {
  it('prints exactly one JSON line per input line, files a proposal, and reports its status', async () => {
    const db = tempDb();
    const input = ['hola', 'qué es la OGP?', '', 'enviar propuesta', ...PROPOSAL_ANSWERS, 'no', 'confirmar', 'mis propuestas'];
    const { code, stdout, stderr } = await cli(['chat', '--json', '--user', 'ana'], `${input.join('\n')}\n`, { CABILDO_DB: db });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(input.length);
    expect(lines.map((l) => l.in)).toEqual(input);
    expect(lines[0]).toMatchObject({ intent: 'greeting' });
    expect(lines[1]).toMatchObject({ intent: 'ogp' });
    expect(lines[1].replies[0]).toEqual({ text: expect.stringContaining('2011'), options: expect.any(Array) });
    expect(lines[3].intent).toBe('proposal.start');
    expect(lines.at(-2).replies[0].text).toContain('GA-2027-000001');
    expect(lines.at(-1)).toMatchObject({ intent: 'proposal.status' });
    expect(lines.at(-1).replies[0].text).toContain('GA-2027-000001');
  });
});

describe('cabildo classify', () => {
  it('prints one JSON line per input line, in order, with intent and confidence', async () => {
    const { code, stdout } = await cli(['classify'], 'qué es la transparencia\nGA-2027-000001\nreceta de empanadas de pino\n');
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.text, r.intent])).toEqual([
      ['qué es la transparencia', 'pillar.transparency'],
      ['GA-2027-000001', 'proposal.status'],
      ['receta de empanadas de pino', 'none'],
    ]);
    for (const r of rows) expect(r.confidence).toBeGreaterThanOrEqual(0);
  });
});

describe('cabildo proposals', () => {
  it('lists, shows, changes status with an answer, and exports open data with personal data masked', async () => {
    const db = tempDb();
    const answers = [...PROPOSAL_ANSWERS];
    answers[1] = 'Escríbanme a vecino@correo.cl o al +56 9 8765 4321, mi RUT es 12.345.678-5, nadie entiende el presupuesto';
    await cli(['chat', '--json'], ['enviar propuesta', ...answers, 'sí', 'Camila Rojas', 'omitir', 'camila@correo.cl', 'confirmar', ''].join('\n'), { CABILDO_DB: db });

    const list = await cli(['proposals', 'list'], '', { CABILDO_DB: db });
    expect(list.stdout).toMatch(/GA-2027-000001 .*recibida.*Presupuesto comunal/);

    const status = await cli(['proposals', 'status', 'ga2027000001', 'en_revision', '--answer', 'La veremos en la mesa de marzo.'], '', { CABILDO_DB: db, CABILDO_ACTOR: 'lucia' });
    expect(status.code).toBe(0);
    const show = await cli(['proposals', 'show', 'GA-2027-000001'], '', { CABILDO_DB: db });
    expect(JSON.parse(show.stdout)).toMatchObject({ status: 'en_revision', answer: 'La veremos en la mesa de marzo.', contact: { name: 'Camila Rojas' } });

    const bad = await cli(['proposals', 'status', 'GA-2027-000001', 'aprobada'], '', { CABILDO_DB: db });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Unknown status "aprobada"; use one of: recibida/);

    const open = await cli(['proposals', 'export', '--open-data'], '', { CABILDO_DB: db });
    expect(open.code).toBe(0);
    expect(open.stdout).not.toMatch(/Camila|camila@correo\.cl|vecino@correo\.cl|8765|12\.345\.678/);
    expect(open.stdout).toMatch(/\[correo\]/);
    expect(open.stdout).toMatch(/\[teléfono\]/);
    expect(open.stdout).toMatch(/\[RUT\]/);
    expect(open.stdout.split('\n')[0]).not.toMatch(/contact/);

    const json = await cli(['proposals', 'export', '--format', 'json'], '', { CABILDO_DB: db });
    expect(JSON.parse(json.stdout)[0]).toMatchObject({ id: 'GA-2027-000001', contact_name: 'Camila Rojas' });

    // The citizen sees the staff's answer on their next message.
    const next = await cli(['chat', '--json'], 'hola\n', { CABILDO_DB: db });
    expect(JSON.parse(next.stdout).replies[0].text).toMatch(/en revisión[\s\S]*mesa de marzo/);
    const audit = JSON.parse(readFileSync(db, 'utf8')).audit;
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'cli:lucia', action: 'status', proposalId: 'GA-2027-000001' })]));
  });
});

describe('cabildo check', () => {
  it('goes through the draft consultation in the terminal, and staff get the tallies and comments', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cabildo-cli-draft-')), 'db.json');
    const env = { CABILDO_DB: file, CABILDO_NOW: '2028-04-10' };
    const answers = ['opinar el borrador', 'de acuerdo', 'Que llegue a regiones', ...Array.from({ length: 7 }, () => ['en desacuerdo', 'no']).flat(), '1'];
    const chat = await cli(['chat', '--json'], `${answers.join('\n')}\n`, env);
    expect(chat.code).toBe(0);
    expect(chat.stdout.trim().split('\n').at(-1)).toMatch(/Gracias por opinar/);
    const text = await cli(['draft', 'results'], '', env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/1\. C1 Justicia abierta\n {3}de acuerdo 1 \(100 %\) · en desacuerdo 0 \(0 %\) · paso 0 \(0 %\) · 1 comentarios · más importante 1/);
    expect(text.stdout).toMatch(/- C1:1 \(agree, 2028-04-10\): Que llegue a regiones/);
    const json = JSON.parse((await cli(['draft', 'results', '--format', 'json'], '', env)).stdout) as { commitments: { id: string; disagree: number }[]; comments: unknown[] };
    expect(json.commitments.find((c) => c.id === 'C8')!.disagree).toBe(1);
    expect(json.comments).toHaveLength(1);
    expect(JSON.stringify(json)).not.toMatch(/userKey/);
    expect((await cli(['proposals', 'hide', 'C1:9', '--reason', 'Spam'], '', env)).stderr).toMatch(/No comment C1:9/);
    const hidden = await cli(['proposals', 'hide', 'c1:1', '--reason', 'Spam'], '', env);
    expect(hidden.stdout).toMatch(/Comment C1:1 is hidden from the public results; its author will be told/);
    expect((await cli(['draft', 'results'], '', env)).stdout).toMatch(/- C1:1 \(agree, 2028-04-10\): Que llegue a regiones \[oculto: Spam\]/);
    const bad = await cli(['draft', 'results', '--format', 'xml'], '', env);
    expect(bad.stderr).toMatch(/--format must be text, csv or json/);
  });

  it('signs up for a work table in the terminal; staff list the tables and export the sign-ups, audited', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cabildo-cli-tables-')), 'db.json');
    const env = { CABILDO_DB: file, CABILDO_NOW: '2027-12-02' };
    const chat = await cli(['chat', '--json'], 'me quiero inscribir en una mesa\nM1\nsí\nAna Pérez\n+56 9 8765 4321\n', env);
    expect(chat.stdout.trim().split('\n').at(-1)).toMatch(/Quedaste inscrita o inscrito/);
    const list = await cli(['tables', 'list'], '', env);
    expect(list.stdout).toMatch(/^M1 +2027-12-07 18:00 +1\/30 +0 waiting  Transparencia y datos abiertos$/m);
    const csv = await cli(['tables', 'export', 'M1'], '', env);
    expect(csv.stdout.split('\n')[0]).toBe('code,status,name,email,phone,signed_up');
    // A leading + is escaped so a spreadsheet never reads the cell as a formula.
    expect(csv.stdout).toMatch(/^M1-[A-Z0-9]{4},confirmed,Ana Pérez,,'\+56987654321,2027-12-02/m);
    expect(readFileSync(file, 'utf8')).toMatch(/"action":"export_signups","detail":"M1 csv"/);
    expect((await cli(['tables', 'export', 'M9'], '', env)).stderr).toMatch(/No work table "M9"/);
  });

  it('hides a proposal from the public results with a reason, audited, and its author is told in the chat', async () => {
    const db = tempDb();
    await cli(['chat', '--json'], ['enviar propuesta', ...PROPOSAL_ANSWERS, 'no', 'confirmar', ''].join('\n'), { CABILDO_DB: db });
    expect((await cli(['proposals', 'hide', 'GA-2027-000001', '--reason', '   '], '', { CABILDO_DB: db })).stderr).toMatch(/--reason must say why/);
    const hidden = await cli(['proposals', 'hide', 'ga2027000001', '--reason', 'Repite otra propuesta'], '', { CABILDO_DB: db, CABILDO_ACTOR: 'lucia' });
    expect(hidden.stdout).toMatch(/GA-2027-000001 is hidden from the public results/);
    const next = await cli(['chat', '--json'], 'hola\n', { CABILDO_DB: db });
    expect(JSON.parse(next.stdout).replies[0].text).toMatch(/ocultó tu propuesta \*\*GA-2027-000001\*\* de los resultados públicos\. Motivo: Repite otra propuesta/);
    expect(JSON.parse(readFileSync(db, 'utf8')).audit).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'cli:lucia', action: 'hide', proposalId: 'GA-2027-000001', detail: 'Repite otra propuesta' })]));
    expect((await cli(['proposals', 'export', '--open-data'], '', { CABILDO_DB: db })).stdout).not.toContain('GA-2027-000001');
  });

  it('accepts the shipped content', async () => {
    const { code, stdout } = await cli(['check']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^OK: 33 intents .*8 draft commitments/);
  });

  it('names the file, field and value of each error in broken content', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cabildo-content-'));
    cpSync(join(ROOT, 'intents'), join(dir, 'intents'), { recursive: true });
    cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true, filter: (f) => !f.includes('db.json') });
    writeFileSync(join(dir, 'intents', 'thanks.yaml'), 'intent: thanks\nintent: goodbye\nexamples: []\n');
    writeFileSync(join(dir, 'intents', 'goodbye.yaml'), readFileSync(join(ROOT, 'intents', 'goodbye.yaml'), 'utf8') + '\n---\nintent: goodbye\n');
    writeFileSync(join(dir, 'intents', 'human.yaml'), '');
    writeFileSync(join(dir, 'intents', 'ogp.yaml'), readFileSync(join(ROOT, 'intents', 'ogp.yaml'), 'utf8').replace(/\{\{\s*ogp\.created\s*\}\}/, '{{ogp.no_such_fact}}'));
    // The same question as the classifier reads it, written another way under another intent.
    writeFileSync(join(dir, 'intents', 'forum.yaml'), readFileSync(join(ROOT, 'intents', 'forum.yaml'), 'utf8').replace('examples:\n', 'examples:\n  - "Q ES    OGP???"\n'));
    const consultation = readFileSync(join(dir, 'data', 'consultation.yaml'), 'utf8').replace('start: 2026-11-16', 'start: 16/11/2026');
    writeFileSync(join(dir, 'data', 'consultation.yaml'), consultation);
    const { code, stderr } = await cli(['check'], '', { CABILDO_CONTENT: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/intents\/thanks\.yaml: \(yaml\): duplicated mapping key at line 2/);
    expect(stderr).toMatch(/intents\/goodbye\.yaml: \(yaml\): expected a single document/);
    expect(stderr).toMatch(/intents\/human\.yaml: \(file\): is empty/);
    expect(stderr).toMatch(/intents\/ogp\.yaml: answer\.text: unknown fact "\{\{ogp\.no_such_fact\}\}"/);
    expect(stderr).toMatch(/intents\/(forum|ogp)\.yaml: examples\.\d+: "[^"]+" is also an example of (ogp|forum)/);
    expect(stderr).toMatch(/data\/consultation\.yaml: stages\.1\.start: must be a date as YYYY-MM-DD \(value: "16\/11\/2026"\)/);
  });
});
