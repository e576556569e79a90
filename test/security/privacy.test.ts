/**
 * What one person can learn about another, and what "borrar mis datos" really erases.
 */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTerminal } from '../../src/cli/chat.js';
import { createEngine } from '../../src/engine.js';
import { literal } from '../../src/text/markdown.js';
import { openFileStore, sessionsFileFor } from '../../src/store/open.js';
import { cli } from '../helpers/cli.js';
import { PROPOSAL_ANSWERS, ROOT, TestClock, person, testEngine } from '../helpers/conversation.js';
import { sample } from '../helpers/sample.js';

const PERSONAL = ['Juana', '+56 9 1111 2222', 'juana.soto@correo.cl', '12.345.678-5'];

/** Files a proposal whose title and problem carry personal data; returns its tracking number. */
async function fileWithPersonalData(p: ReturnType<typeof person>, contact: boolean): Promise<string> {
  await p.send('enviar propuesta');
  const answers = [...PROPOSAL_ANSWERS];
  answers[0] = 'Luminarias: llamar a Juana al +56 9 1111 2222';
  answers[1] = 'Nadie responde en la plaza; escríbanme a juana.soto@correo.cl, mi RUT es 12.345.678-5';
  for (const a of answers) await p.send(a);
  for (const a of contact ? ['sí', 'Juana Soto', 'omitir', 'juana.soto@correo.cl', 'confirmar'] : ['no', 'confirmar']) await p.send(a);
  return /GA-\d{4}-\d{6}/.exec(p.text)![0];
}

describe('status lookups', () => {
  it('show a stranger the public view with personal data masked, and the author everything', async () => {
    const { engine, store, clock } = await testEngine();
    const juana = person(engine, 'juana');
    const id = await fileWithPersonalData(juana, false);
    await store.setStatus(id, { status: 'en_revision', answer: 'Estimada María José Soto: la revisaremos en la mesa.', actor: 'staff:lucia' }, clock.now());

    const stranger = person(engine, 'stranger');
    await stranger.send(id);
    expect(stranger.text).toContain(id);
    expect(stranger.text).toMatch(/Estado: \*\*en revisión\*\*/);
    expect(stranger.text).toMatch(/la revisaremos en la mesa/);
    for (const secret of ['+56 9 1111 2222', 'María José']) expect(stranger.text).not.toContain(secret);

    await juana.send(id);
    expect(juana.text).toContain('Luminarias: llamar a Juana al +56 9 1111 2222');
    expect(juana.text).toContain('Estimada María José Soto');
  });

  it('show a stranger nothing of a withdrawn proposal', async () => {
    const { engine } = await testEngine();
    const juana = person(engine, 'juana');
    const id = await fileWithPersonalData(juana, false);
    await juana.send('borrar mis datos');
    await juana.send('2');
    const stranger = person(engine, 'stranger');
    await stranger.send(id);
    expect(stranger.text).toMatch(/fue retirada/);
    expect(stranger.text).not.toMatch(/Luminarias/);
  });
});

describe('status lookups of a hidden proposal', () => {
  it('show a stranger the moderation reason, as the public page does, and the author their proposal', async () => {
    const { engine, store, clock } = await testEngine();
    const juana = person(engine, 'juana');
    const id = await fileWithPersonalData(juana, false);
    await store.setHidden(id, 'Contiene datos de una vecina', 'staff:lucia', clock.now());
    const stranger = person(engine, 'stranger');
    await stranger.send(id);
    expect(stranger.text).toContain(`La propuesta ${id} está oculta por moderación. Motivo: Contiene datos de una vecina.`);
    expect(stranger.text).not.toMatch(/Luminarias/);
    await juana.send(id);
    expect(juana.text).toContain('Luminarias');
  });
});

describe('person-written text in replies', () => {
  it('is escaped, so a citizen markdown link or bare URL is never markup in the reply', async () => {
    const { engine } = await testEngine();
    const ana = person(engine, 'ana');
    await ana.send('enviar propuesta');
    await ana.send('[Ver resultados oficiales](https://evil.example/phish) y https://evil.example/x');
    for (const a of PROPOSAL_ANSWERS.slice(1)) await ana.send(a);
    await ana.send('no');
    const summary = ana.last.replies.map((r) => r.text).join('\n');
    expect(summary).toContain('\\[Ver resultados oficiales\\]\\(https\\:');
    // No unescaped link syntax and no bare URL a renderer would link.
    expect(summary).not.toMatch(/(^|[^\\])\[Ver resultados/);
    expect(summary).not.toMatch(/https:\/\/evil/);
    expect(ana.text).toContain('[Ver resultados oficiales](https://evil.example/phish)');
  });
});

describe('borrar mis datos', () => {
  it('"solo mi contacto" erases contact details and masks the text, and the proposal stays linked', async () => {
    const { engine, store } = await testEngine();
    const juana = person(engine, 'juana');
    const id = await fileWithPersonalData(juana, true);
    expect((await store.get(id))!.contact?.email).toBe('juana.soto@correo.cl');
    await juana.send('borrar mis datos');
    expect(juana.text).toMatch(/Solo mi contacto/);
    expect(juana.text).toMatch(/Retirar propuestas/);
    await juana.send('Solo mi contacto');
    expect(juana.text).toMatch(/Borré tus datos de contacto y oculté/);
    const p = (await store.get(id))!;
    expect(p.contact).toBeUndefined();
    expect(p.status).toBe('recibida');
    for (const secret of PERSONAL) expect(JSON.stringify(p)).not.toContain(secret);
    await juana.send('mis propuestas');
    expect(juana.text).toContain(id);
  });

  it('"retirar propuestas" also withdraws and unlinks them', async () => {
    const { engine, store } = await testEngine();
    const juana = person(engine, 'juana');
    const id = await fileWithPersonalData(juana, true);
    await juana.send('quiero borrar mis datos');
    await juana.send('2');
    const p = (await store.get(id))!;
    expect(p.status).toBe('retirada');
    expect(p.userKey).toBeUndefined();
    for (const secret of PERSONAL) expect(JSON.stringify(p)).not.toContain(secret);
    await juana.send('mis propuestas');
    expect(juana.text).not.toContain(id);
  });
});

describe('a confirmation after a crash', () => {
  it('files once: the second confirmation of the same dialog returns the first number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cabildo-dup-'));
    const file = join(dir, 'db.json');
    const clock = new TestClock();
    let store = await openFileStore(file, { secret: 'test-secret-0123456789' });
    let engine = await createEngine({ contentDir: ROOT, store, clock: clock.now });
    let ana = person(engine, 'ana');
    await ana.send('enviar propuesta');
    for (const a of PROPOSAL_ANSWERS) await ana.send(a);
    await ana.send('no');
    expect(ana.text).toContain('Revisa tu propuesta');
    // What a kill between the proposal's write and the dialog's clearing leaves on disk: the
    // proposal filed, and the dialog still at its summary.
    const atSummary = join(dir, 'sessions-at-summary.json');
    copyFileSync(sessionsFileFor(file), atSummary);
    await ana.send('confirmar');
    const first = /GA-\d{4}-\d{6}/.exec(ana.text)![0];
    await store.close();
    copyFileSync(atSummary, sessionsFileFor(file));

    store = await openFileStore(file, { secret: 'test-secret-0123456789' });
    engine = await createEngine({ contentDir: ROOT, store, clock: clock.now });
    ana = person(engine, 'ana');
    await ana.send('confirmar');
    expect(ana.text).toContain(first);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { proposals: unknown[] }).proposals).toHaveLength(1);
    await store.close();
  });
});

describe('a withdrawn proposal', () => {
  it('cannot be set back by staff, and never appears in an export', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cabildo-withdrawn-')), 'db.json');
    const store = await openFileStore(file);
    const kept = await store.submit(sample(1, 'a'), new Date('2027-03-15T12:00:00Z'), 2027);
    const withdrawn = await store.submit({ ...sample(2, 'b'), title: 'Propuesta que su autora retiró' }, new Date('2027-03-15T12:00:00Z'), 2027);
    await store.eraseUser('b', 'withdraw', new Date('2027-03-16T12:00:00Z'));
    expect(await store.setStatus(withdrawn.id, { status: 'seleccionada', actor: 'staff:lucia' }, new Date())).toEqual({ kind: 'withdrawn' });
    await store.close();

    const refused = await cli(['proposals', 'status', withdrawn.id, 'seleccionada'], '', { CABILDO_DB: file });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/withdrawn by its author/);
    for (const args of [['proposals', 'export', '--open-data'], ['proposals', 'export'], ['proposals', 'export', '--format', 'json', '--open-data']]) {
      const exported = await cli(args, '', { CABILDO_DB: file });
      expect(exported.code).toBe(0);
      expect(exported.stdout).toContain(kept.id);
      expect(exported.stdout).not.toContain(withdrawn.id);
      expect(exported.stdout).not.toContain('retiró');
    }
  });
});

describe('the terminal', () => {
  it('shows our bold and links as such and a person\'s markup as typed', () => {
    const reply = `**Título:** ${literal('**no** [x](https://evil.example)')} y [el portal](https://ogp.gob.cl)`;
    expect(renderTerminal(reply, false)).toBe('Título: **no** [x](https://evil.example) y el portal (https://ogp.gob.cl)');
  });
});
