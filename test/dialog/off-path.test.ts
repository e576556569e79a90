/**
 * The dialogs off their clean path (issue 14, "The dialog"): coming back, questions and commands
 * mid-form, repeated failures, cancelling while editing, pillars, consent and contact, the
 * summary, offers that follow the calendar, and what the person is told after filing.
 */
import { describe, expect, it } from 'vitest';
import { replyToActivity } from '../../adapters/webchat/render.js';
import { renderCloud } from '../../adapters/whatsapp/cloud/render.js';
import { numberedOptions, pickOption } from '../../adapters/whatsapp/format.js';
import { renderSlack } from '../../adapters/slack/render.js';
import { PROPOSAL_ANSWERS, TestClock, expectWellFormed, person, testEngine } from '../helpers/conversation.js';

type Person = ReturnType<typeof person>;

async function fillForm(p: Person, answers = PROPOSAL_ANSWERS) {
  await p.send('quiero enviar una propuesta');
  for (const a of answers) await p.send(a);
}

async function toSummary(p: Person) {
  await fillForm(p);
  await p.send('no');
  expect(p.text).toContain('Revisa tu propuesta');
}

describe('coming back to an open form', () => {
  it('welcomes back with the step and the answers so far; a greeting is never an answer nor a failed try', async () => {
    const { engine, store } = await testEngine();
    const key = store.userKey('test', 'ana');
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 2));
    // What `npm run chat` and the web chat send when they open: "hola".
    for (const text of ['hola', '¿en qué iba?', 'Hola, en qué iba?']) {
      await ana.send(text);
      expectWellFormed(ana.last.replies);
      expect(ana.text, text).toMatch(/Hola de nuevo/);
      expect(ana.text, text).toMatch(/pregunta 3 de 8/);
      expect(ana.text, text).toContain(`Título:** ${PROPOSAL_ANSWERS[0]}`);
      expect(ana.text, text).toMatch(/Problema:\*\* Nadie en mi comuna/);
      expect(ana.text, text).toContain('(3/8)');
      expect(ana.text, text).not.toMatch(/muy breve|no está clara/);
    }
    const state = await store.session(key);
    expect(state).toMatchObject({ form: 'proposal', step: 'description', attempts: 0 });
    // The next failed try is the first one: its reason, not "no está clara".
    await ana.send('ok');
    expect(ana.text).toMatch(/muy breve/);
    expect(ana.text).not.toMatch(/no está clara/);
    await ana.send(PROPOSAL_ANSWERS[2]!);
    expect(ana.text).toContain('(4/8)');
  });

  it('in the work-table sign-up too: "hola" at the name question is not taken as the name', async () => {
    const { engine, store } = await testEngine({ clock: new TestClock('2027-12-02T15:00:00Z') });
    const ana = person(engine);
    await ana.send('me quiero inscribir en una mesa');
    await ana.send('M1');
    await ana.send('sí');
    expect(ana.text).toMatch(/nombre/);
    await ana.send('hola');
    expect(ana.text).toMatch(/Hola de nuevo! Estabas inscribiéndote/);
    expect(ana.text).toMatch(/Cuál es tu nombre/);
    await ana.send('mis propuestas');
    expect(ana.text).toMatch(/No tienes propuestas enviadas/);
    expect(ana.text).toMatch(/Sigamos con tu inscripción/);
    expect(await store.session(store.userKey('test', 'ana'))).toMatchObject({ form: 'signup', step: 'name' });
    expect((await store.session(store.userKey('test', 'ana')) as { name?: string }).name).toBeUndefined();
  });
});

describe('questions and commands mid-form', () => {
  it('in the draft consultation too: a command is answered, then the commitment comes back, with no offer to start over', async () => {
    const { engine } = await testEngine({ clock: new TestClock('2028-04-10T15:00:00Z') });
    const ana = person(engine);
    await ana.send('quiero opinar sobre el borrador');
    expect(ana.text).toMatch(/Compromiso 1 de 8/);
    await ana.send('mis propuestas');
    expect(ana.text).toMatch(/No tienes propuestas enviadas/);
    expect(ana.text).toMatch(/Sigamos con el borrador:\n\n\*\*Compromiso 1 de 8/);
    for (const r of ana.last.replies) {
      expect(r.options ?? []).not.toContain('Opinar el borrador');
      // Reception is closed: no offer to send one.
      expect(r.options ?? []).not.toContain('Enviar propuesta');
    }
    await ana.send('De acuerdo');
    expect(ana.text).toMatch(/comentario/);
  });

  it('a question about the field gets what it expects and its example, then the question again', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 1));
    await ana.send('pero que tipo de problema tengo que poner, algo de mi barrio o algo nacional?');
    expect(ana.text).toMatch(/de tu barrio, de tu comuna, de tu región o de todo el país/);
    expect(ana.text).toMatch(/Ejemplo:/);
    expect(ana.text).toContain('(2/8)');
    expect(ana.text).not.toMatch(/muy breve/);
    const state = await store.session(store.userKey('test', 'ana'));
    expect(state).toMatchObject({ step: 'problem', attempts: 0 });
    expect((state as { draft: object }).draft).not.toHaveProperty('problem');
  });

  it('a knowledge question without "?" is answered and the question asked again, not saved as the title', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine);
    await ana.send('quiero enviar una propuesta');
    await ana.send('donde son las jornadas de sensibilizacion');
    expect(ana.last.intent).not.toBeNull();
    expect(ana.last.replies.length).toBeGreaterThanOrEqual(2);
    expect(ana.last.replies.at(-1)!.text).toContain('(1/8)');
    expect((await store.session(store.userKey('test', 'ana')) as { draft: object }).draft).not.toHaveProperty('title');
  });

  it('commands work anywhere, then the form resumes where it was', async () => {
    const { engine, store } = await testEngine();
    const key = store.userKey('test', 'ana');
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 1));
    await ana.send('quiero mandar otra propuesta');
    expect(ana.text).toMatch(/Ya estás armando una propuesta/);
    expect(ana.text).toContain('(2/8)');
    await ana.send('mis propuestas');
    expect(ana.text).toMatch(/No tienes propuestas enviadas/);
    expect(ana.text).toContain('(2/8)');
    await ana.send('mis datos');
    expect(ana.text).toMatch(/Propuesta en curso/);
    expect(ana.text).toContain('(2/8)');
    await ana.send('ayuda');
    expect(ana.text).toMatch(/Estás armando una propuesta/);
    for (const text of ['quiero mandar otra propuesta', 'mis propuestas', 'mis datos', 'ayuda']) expect(ana.text, text).not.toMatch(/muy breve/);
    expect(await store.session(key)).toMatchObject({ step: 'problem', attempts: 0, draft: { title: PROPOSAL_ANSWERS[0] } });
    await ana.send(PROPOSAL_ANSWERS[1]!);
    expect(ana.text).toContain('(3/8)');
    await ana.send('borrar mis datos');
    expect(ana.text).toMatch(/Puedo hacer una de dos cosas/);
  });
});

describe('repeated failures', () => {
  it('the explanation after the third failed try says the last reason (the 1,500-character limit), with the step number', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 1));
    await ana.send('ok');
    await ana.send('😡😡😡');
    await ana.send('a'.repeat(1752));
    expect(ana.text).toMatch(/máximo 1\.500 caracteres/);
    expect(ana.text).toMatch(/no está clara/);
    expect(ana.text).toContain('(2/8)');
    expect(ana.text).toMatch(/Ejemplo:/);
  });
});

describe('cancelling', () => {
  it('"Cancelar" while editing a field returns to the summary, with nothing lost', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine);
    await toSummary(ana);
    await ana.send('editar 3');
    expect(ana.text).toMatch(/compromiso/);
    await ana.send('Cancelar');
    expect(ana.text).not.toMatch(/cancelé/);
    expect(ana.text).toMatch(/no cambié \*\*Descripción\*\*|dejé \*\*Descripción\*\* como estaba/);
    expect(ana.text).toContain('Revisa tu propuesta');
    expect(ana.text).toContain(PROPOSAL_ANSWERS[2]);
    await ana.send('editar');
    await ana.send('cancelar');
    expect(ana.text).toContain('Revisa tu propuesta');
    await ana.send('confirmar');
    expect(ana.text).toMatch(/GA-2027-000001/);
    expect((await store.list())[0]!.description).toBe(PROPOSAL_ANSWERS[2]);
  });

  it('cancelling the whole proposal asks first when more than two answers would be lost', async () => {
    const { engine, store } = await testEngine();
    const key = store.userKey('test', 'ana');
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 3));
    await ana.send('cancelar');
    expect(ana.text).toMatch(/Seguro que quieres cancelar\? Perderías las 3 respuestas/);
    expect(ana.options).toEqual(['Sí', 'No']);
    await ana.send('no');
    expect(ana.text).toMatch(/no cancelé nada/);
    expect(ana.text).toContain('(4/8)');
    expect(await store.session(key)).toMatchObject({ step: 'actors', draft: { title: PROPOSAL_ANSWERS[0] } });
    await ana.send('cancelar');
    await ana.send('sí');
    expect(ana.text).toMatch(/cancelé la propuesta/);
    expect(await store.session(key)).toBeUndefined();

    // Two answers or fewer: cancelled at once.
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 2));
    await ana.send('cancelar');
    expect(ana.text).toMatch(/cancelé la propuesta/);
  });
});

describe('pillars', () => {
  it('tolerates typos and says what it understood', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 6));
    await ana.send('transparensia y particpacion');
    expect(ana.text).toMatch(/Anoté los pilares: \*\*Transparencia, Participación\*\*/);
    expect(ana.text).toContain('(8/8)');
  });

  it('keeps the step number after three failed tries, and the pillar options', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 6));
    for (const text of ['qwerty', 'asdf', 'zzz']) {
      await ana.send(text);
      expect(ana.text, text).toContain('(7/8)');
    }
    expect(ana.text).toMatch(/no está clara/);
    expect(ana.options).toEqual(expect.arrayContaining(['Transparencia', 'Participación', 'Rendición de cuentas', 'Ayuda', 'Cancelar']));
  });

  it('taps accumulate and toggle until "Listo", and the choice reaches the proposal', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 6));
    expect(ana.options).not.toContain('Listo');
    await ana.send('Transparencia');
    expect(ana.text).toContain('(7/8)');
    expect(ana.text).toMatch(/Elegiste: \*\*Transparencia\*\*/);
    expect(ana.options).toEqual(['Transparencia', 'Participación', 'Rendición de cuentas', 'Colaboración', 'Innovación', 'Listo']);
    expectWellFormed(ana.last.replies);
    await ana.send('Rendición de cuentas');
    expect(ana.text).toMatch(/Elegiste: \*\*Transparencia, Rendición de cuentas\*\*/);
    await ana.send('Innovación');
    await ana.send('Transparencia');
    expect(ana.text).toMatch(/Elegiste: \*\*Rendición de cuentas, Innovación\*\*/);
    await ana.send('Listo');
    expect(ana.text).toMatch(/Anoté los pilares: \*\*Rendición de cuentas, Innovación\*\*/);
    expect(ana.text).toContain('(8/8)');
    await ana.send('Renca');
    await ana.send('no');
    expect(ana.text).toMatch(/Pilares:\*\* Rendición de cuentas, Innovación/);
    await ana.send('confirmar');
    expect((await store.list())[0]!.pillars).toEqual(['accountability', 'innovation']);
  });

  it('every channel can show the pillar choice within its limits, and a number picks the same pillar', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 6));
    await ana.send('1');
    const reply = ana.last.replies.at(-1)!;
    // Web Chat: one suggested action per option, "Listo" among them.
    const activity = replyToActivity(reply);
    expect(activity.suggestedActions!.actions.map((a) => a.value)).toEqual(reply.options);
    // WhatsApp Cloud API: six options do not fit three buttons, so a list (at most ten rows).
    const [cloud] = renderCloud(reply).filter((m) => m.type === 'interactive');
    expect(cloud).toMatchObject({ interactive: { type: 'list' } });
    const rows = (cloud as { interactive: { action: { sections: { rows: { title: string }[] }[] } } }).interactive.action.sections[0]!.rows;
    expect(rows.map((r) => r.title)).toEqual(reply.options);
    // whatsapp-web.js: a numbered list; typing 3 picks pillar 3, as the question numbers them.
    expect(numberedOptions(reply.options!)).toMatch(/^1\. Transparencia\n2\. Participación\n3\. Rendición de cuentas/);
    expect(pickOption('3', reply.options)).toBe('Rendición de cuentas');
    // Slack: one button per option.
    expect(JSON.stringify(renderSlack(reply))).toContain('Listo');
    await ana.send(pickOption('3', reply.options));
    expect(ana.text).toMatch(/Elegiste: \*\*Transparencia, Rendición de cuentas\*\*/);
    await ana.send(pickOption('6', ana.options));
    expect(ana.text).toContain('(8/8)');
  });
});

describe('consent and contact', () => {
  it('after going back, a "sí" meant for consent is never stored as the name', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine);
    await fillForm(ana);
    await ana.send('sí');
    expect(ana.text).toMatch(/nombre/);
    await ana.send('atrás');
    expect(ana.text).toMatch(/datos de contacto/);
    await ana.send('sí');
    await ana.send('sí');
    expect(ana.text).toMatch(/Ya anoté que quieres dejar tus datos de contacto/);
    expect(ana.text).toMatch(/Cuál es tu \*\*nombre\*\*/);
    await ana.send('Ana');
    await ana.send('sí');
    expect(ana.text).toMatch(/Escribe el nombre de la organización/);
    await ana.send('omitir');
    await ana.send('omitir');
    expect(ana.text).toMatch(/Contacto:\*\* Ana\n/);
    expect(ana.text).not.toMatch(/sí, Ana/);
    await ana.send('confirmar');
    expect((await store.list())[0]!.contact).toEqual({ name: 'Ana' });
  });
});

describe('the summary', () => {
  it('an unrecognised message re-asks with the three choices only, not the whole summary', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await toSummary(ana);
    await ana.send('mmm no sé qué hacer');
    expect(ana.text).not.toContain('Revisa tu propuesta');
    expect(ana.text).not.toContain(PROPOSAL_ANSWERS[1]);
    expect(ana.text).toMatch(/«confirmar», «editar»/);
    expect(ana.options).toEqual(['Confirmar', 'Editar', 'Cancelar']);
  });
});

describe('offers follow the person and the calendar', () => {
  const SAY = /recibo tu propuesta ahora|recibir tu propuesta/;

  it('mid-form, answers do not offer to start a proposal', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await fillForm(ana, PROPOSAL_ANSWERS.slice(0, 2));
    for (const question of ['¿cómo participo?', '¿qué es un compromiso?', '¿cuándo cierra la recepción?']) {
      await ana.send(question);
      expect(ana.last.replies.length, question).toBeGreaterThanOrEqual(2);
      expect(ana.text, question).not.toMatch(SAY);
      expect(ana.text, question).not.toMatch(/Hoy puedes \*\*enviar tu propuesta/);
      for (const r of ana.last.replies) expect(r.options ?? [], question).not.toContain('Enviar propuesta');
      expect(ana.text, question).toContain('(3/8)');
    }
  });

  it('outside reception, no answer offers to receive a proposal', async () => {
    const { engine } = await testEngine({ clock: new TestClock('2027-12-10T15:00:00Z') });
    const ana = person(engine);
    for (const question of ['cómo participo', 'qué es un compromiso', 'gracias']) {
      await ana.send(question);
      expect(ana.text, question).not.toMatch(SAY);
      expect(ana.options, question).not.toContain('Enviar propuesta');
    }
    // During reception, "cómo participo" offers it.
    const open = person((await testEngine()).engine);
    await open.send('cómo participo');
    expect(open.options[0]).toBe('Enviar propuesta');
  });
});

describe('after filing', () => {
  it('gives the tracking number, what happens next with its date, and how to check it later', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await toSummary(ana);
    await ana.send('confirmar');
    expect(ana.text).toMatch(/número \*\*GA-2027-000001\*\*/);
    expect(ana.text).toMatch(/etapa \*\*Mesas de trabajo\*\*, desde el 1 de diciembre de 2027/);
    expect(ana.text).toMatch(/escribe «mis propuestas» o el número GA-2027-000001/);
    expect(ana.options).toEqual(['Mis propuestas']);
    expectWellFormed(ana.last.replies);
  });

  it('numbers proposals by the local year of filing', async () => {
    // 23:30 on 31 December in Santiago is already 1 January in UTC.
    const clock = new TestClock('2027-01-01T02:30:00Z');
    const { engine, store } = await testEngine({ clock });
    const ana = person(engine);
    await toSummary(ana);
    await ana.send('confirmar');
    expect(ana.text).toMatch(/GA-2026-000001/);
    clock.set('2027-01-01T15:00:00Z');
    await toSummary(ana);
    await ana.send('confirmar');
    expect(ana.text).toMatch(/GA-2027-000001/);
    expect((await store.list()).map((p) => p.id).sort()).toEqual(['GA-2026-000001', 'GA-2027-000001']);
  });
});
