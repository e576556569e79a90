import { describe, expect, it } from 'vitest';
import { PROPOSAL_ANSWERS, expectWellFormed, person, testEngine } from '../helpers/conversation.js';

async function fillForm(p: ReturnType<typeof person>, answers = PROPOSAL_ANSWERS) {
  await p.send('quiero enviar una propuesta');
  for (const a of answers) await p.send(a);
}

describe('proposal dialog', () => {
  it('walks through every field with an example, then files the proposal with a tracking number', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine);
    await ana.send('quiero enviar una propuesta');
    expect(ana.last.intent).toBe('proposal.start');
    expect(ana.text).toMatch(/título/i);
    expect(ana.text).toMatch(/Ejemplo:/);
    for (const [i, a] of PROPOSAL_ANSWERS.entries()) {
      await ana.send(a);
      expectWellFormed(ana.last.replies);
      if (i < PROPOSAL_ANSWERS.length - 1) expect(ana.text).toContain(`(${i + 2}/8)`);
    }
    expect(ana.text).toMatch(/datos de contacto/);
    expect(ana.options).toEqual(['Sí', 'No']);
    await ana.send('no');
    expect(ana.text).toContain('Revisa tu propuesta');
    expect(ana.text).toContain('Presupuesto comunal en lenguaje claro');
    expect(ana.text).toContain('Transparencia, Rendición de cuentas');
    expect(ana.text).toContain('Anónima');
    expect((await store.list())).toHaveLength(0);
    await ana.send('confirmar');
    expect(ana.text).toMatch(/GA-2027-000001/);
    expect(ana.text).toMatch(/30 de noviembre de 2027/);
    const [stored] = (await store.list());
    expect(stored).toMatchObject({ id: 'GA-2027-000001', status: 'recibida', territory: 'Renca', pillars: ['transparency', 'accountability'], consent: false });
    expect(stored!.contact).toBeUndefined();
  });

  it('asks consent before contact details, validates the email, and lets each one be skipped', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine);
    await fillForm(ana);
    await ana.send('sí');
    expect(ana.text).toMatch(/nombre/);
    await ana.send('Camila Rojas');
    await ana.send('omitir');
    expect(ana.text).toMatch(/correo/);
    await ana.send('camila@');
    expect(ana.text).toMatch(/no parece válido/);
    await ana.send('Camila.Rojas@Correo.cl');
    expect(ana.text).toContain('Camila Rojas, camila.rojas@correo.cl');
    await ana.send('confirmar');
    expect((await store.list())[0]!.contact).toEqual({ name: 'Camila Rojas', email: 'camila.rojas@correo.cl' });
  });

  it('cancels anywhere without storing anything', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 3));
    await ana.send('cancelar');
    // Three answers would be lost: the form asks first (issue 14).
    await ana.send('sí');
    expect(ana.text).toMatch(/cancelé/);
    expect((await store.list())).toHaveLength(0);
    expect((await store.session(store.userKey('test', 'ana')))).toBeUndefined();
    await ana.send('qué es la transparencia');
    expect(ana.last.intent).toBe('pillar.transparency');
    await ana.send('cancelar');
    expect(ana.text).toMatch(/No hay nada en curso/);
  });

  it('goes back to the previous question with "atrás" and keeps going', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 2));
    expect(ana.text).toContain('(3/8)');
    await ana.send('atrás');
    expect(ana.text).toContain('(2/8)');
    await ana.send('El presupuesto se publica en un PDF que nadie puede leer');
    for (const a of PROPOSAL_ANSWERS.slice(2)) await ana.send(a);
    await ana.send('no');
    await ana.send('confirmar');
    expect((await store.list())[0]!.problem).toBe('El presupuesto se publica en un PDF que nadie puede leer');
  });

  it('edits one field from the summary, by number or by name, and returns to the summary', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine);
    await fillForm(ana);
    await ana.send('no');
    await ana.send('editar 8');
    expect(ana.text).toMatch(/territorio/);
    await ana.send('Región de Ñuble');
    expect(ana.text).toContain('Revisa tu propuesta');
    expect(ana.text).toContain('Región de Ñuble');
    await ana.send('editar');
    expect(ana.options).toContain('Título');
    await ana.send('título');
    await ana.send('Presupuestos abiertos para todos');
    await ana.send('confirmar');
    expect((await store.list())[0]).toMatchObject({ title: 'Presupuestos abiertos para todos', territory: 'Región de Ñuble' });
  });

  it('answers a knowledge question asked mid-dialog, then asks the pending question again', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 4));
    expect(ana.text).toContain('(5/8)');
    await ana.send('¿qué es la rendición de cuentas?');
    expect(ana.last.intent).toBe('pillar.accountability');
    expect(ana.last.replies).toHaveLength(2);
    expect(ana.last.replies[0]!.text).toMatch(/rendición de cuentas/i);
    expect(ana.last.replies[1]!.text).toContain('(5/8)');
    await ana.send(PROPOSAL_ANSWERS[4]!);
    expect(ana.text).toContain('(6/8)');
  });

  it('re-asks with a reason for empty, emoji-only, too short and too long answers, without punishing normal writing', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await fillForm(ana, []);
    await ana.send('😡😡😡');
    expect(ana.text).toMatch(/emojis o símbolos/);
    await ana.send('malo');
    expect(ana.text).toMatch(/muy breve/);
    await ana.send('presupuesto CLARO sin tildes ni puntos');
    expect(ana.text).toContain('(2/8)');
    await ana.send('x'.repeat(1501));
    expect(ana.text).toMatch(/máximo 1\.500/);
    await ana.send('   ');
    expect(ana.text).toMatch(/No recibí texto/);
    expect(ana.text).toContain('(2/8)');
    // Third failed try on the same field: explained again with the example, help or cancel offered.
    await ana.send('no sé');
    expect(ana.text).toMatch(/no está clara/);
    expect(ana.text).toMatch(/Ejemplo:/);
    expect(ana.options).toEqual(['Ayuda', 'Cancelar']);
    await ana.send('no hay datos sobre el presupuesto ni explicacion alguna en mi comuna');
    expect(ana.text).toContain('(3/8)');
  });

  it('explains the current question on "ayuda" without losing the place', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 6));
    await ana.send('ayuda');
    expect(ana.text).toMatch(/Estás armando una propuesta/);
    expect(ana.text).toMatch(/pilares/);
    await ana.send('transparencia y participación');
    expect(ana.text).toContain('(8/8)');
  });

  it('continues after a restart mid-dialog when the store is on disk', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openFileStore } = await import('../../src/store/open.js');
    const file = join(mkdtempSync(join(tmpdir(), 'cabildo-')), 'db.json');
    const first = await testEngine({ store: await openFileStore(file) });
    await fillForm(person(first.engine), PROPOSAL_ANSWERS.slice(0, 3));
    await first.store.close();

    const second = await testEngine({ store: await openFileStore(file) });
    const ana = person(second.engine);
    await ana.send(PROPOSAL_ANSWERS[3]!);
    expect(ana.text).toContain('(5/8)');
    for (const a of PROPOSAL_ANSWERS.slice(4)) await ana.send(a);
    await ana.send('no');
    await ana.send('confirmar');
    expect((await second.store.list())[0]!.description).toBe(PROPOSAL_ANSWERS[2]);
    await second.store.close();
  });

  it('drops a dialog left for more than 24 hours, with a notice', async () => {
    const { engine, clock } = await testEngine();
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 3));
    clock.advance(25 * 60 * 60 * 1000);
    await ana.send('qué es la OGP');
    expect(ana.last.replies[0]!.text).toMatch(/más de un día/);
    expect(ana.last.intent).toBe('ogp');
  });

  it('does not start outside the reception stage, and says when it opens or that it closed', async () => {
    const before = await testEngine();
    before.clock.set('2026-10-10T15:00:00Z');
    const early = person(before.engine);
    await early.send('quiero enviar una propuesta');
    expect(early.text).toMatch(/abre el 16 de noviembre de 2026/);

    const after = await testEngine();
    after.clock.set('2027-12-05T15:00:00Z');
    const late = person(after.engine);
    await late.send('quiero enviar una propuesta');
    expect(late.text).toMatch(/cerró el 30 de noviembre de 2027/);
    await late.send('Presupuesto comunal');
    expect(late.text).not.toContain('(2/8)');
  });
});
