import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/open.js';
import { parseVote } from '../../src/dialog/draft-flow.js';
import { DURING_RECEPTION, expectWellFormed, person, TestClock, testEngine } from '../helpers/conversation.js';
import { sample } from '../helpers/sample.js';

const DURING_DRAFT = '2028-04-10T15:00:00Z';
const COUNT = 8;

async function draftEngine(iso = DURING_DRAFT) {
  return testEngine({ clock: new TestClock(iso) });
}

describe('the public consultation of the draft plan', () => {
  it('walks through every commitment: vote, comment or not, the most important, and a summary', async () => {
    const { engine, store } = await draftEngine();
    const ana = person(engine);
    await ana.send('quiero opinar sobre el borrador');
    expect(ana.text).toMatch(/tiene 8 compromisos/);
    expect(ana.text).toMatch(/anónimas/);
    expect(ana.text).toMatch(/Compromiso 1 de 8: Justicia abierta/);
    expect(ana.options).toEqual(['De acuerdo', 'En desacuerdo', 'Paso']);
    expect(ana.text).toMatch(/«ver más»/);
    expectWellFormed(ana.last.replies);

    await ana.send('Ver más');
    expect(ana.text).toMatch(/Hitos:/);
    expect(ana.text).toMatch(/Red de Lenguaje Claro/);

    await ana.send('sí, de acuerdo');
    expect(ana.text).toMatch(/comentario/);
    await ana.send('Que las guías lleguen también a los pueblos originarios');
    expect(ana.text).toMatch(/Guardé tu comentario/);
    expect(ana.text).toMatch(/Compromiso 2 de 8/);

    const votes = ['no estoy de acuerdo', 'paso', '1', '2', '3', 'de acuerdo', 'a favor'];
    for (const [i, vote] of votes.entries()) {
      await ana.send(vote);
      await ana.send(i === 0 ? 'Falta decir quién fiscaliza' : 'no');
    }
    expect(ana.text).toMatch(/más importante/);
    expect(ana.options).toHaveLength(COUNT);
    await ana.send('3');
    expect(ana.text).toMatch(/Gracias por opinar/);
    expect(ana.text).toMatch(/C1 Justicia abierta\*\*: De acuerdo. «Que las guías lleguen también a los pueblos originarios»/);
    expect(ana.text).toMatch(/C2 .*: En desacuerdo. «Falta decir quién fiscaliza»/);
    expect(ana.text).toMatch(/Más importante:\*\* C3 Presupuesto municipal/);
    expect(ana.text).toMatch(/1 de mayo de 2028/);

    const userKey = store.userKey('test', 'ana');
    expect((await store.opinionsOf(userKey)).map((o) => o.vote)).toEqual(['agree', 'disagree', 'pass', 'agree', 'disagree', 'pass', 'agree', 'agree']);
    expect((await store.priorityOf(userKey))?.commitmentId).toBe('C3');
    // Anonymous: the opinion holds the keyed hash only.
    expect(JSON.stringify((await store.opinions()))).not.toContain('ana');
  });

  it('resumes after a restart at the first unanswered commitment, and a new vote replaces the old one', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cabildo-draft-')), 'db.json');
    const clock = new TestClock(DURING_DRAFT);
    let store = await openFileStore(file, { secret: 'test-secret-0123456789' });
    let { engine } = await testEngine({ store, clock });
    let ana = person(engine);
    await ana.send('opinar el borrador');
    await ana.send('De acuerdo');
    await ana.send('no');
    await ana.send('En desacuerdo');
    await ana.send('no');
    await store.close();

    store = await openFileStore(file, { secret: 'test-secret-0123456789' });
    ({ engine } = await testEngine({ store, clock }));
    ana = person(engine);
    await ana.send('hola');
    await ana.send('seguir opinando');
    expect(ana.text).toMatch(/Sigamos con el borrador/);
    expect(ana.text).toMatch(/Compromiso 3 de 8/);

    await ana.send('compromiso 1');
    expect(ana.text).toMatch(/Compromiso 1 de 8/);
    await ana.send('Paso');
    expect(ana.text).toMatch(/reemplacé tu opinión anterior/);
    await ana.send('no');
    expect(ana.text).toMatch(/Compromiso 3 de 8/);

    await ana.send('mis opiniones');
    expect(ana.text).toMatch(/Tus opiniones sobre el borrador \(2\)/);
    expect(ana.text).toMatch(/C1 Justicia abierta\*\*: Paso/);
    expect(ana.text).toMatch(/C2 .*: En desacuerdo/);
    expect(ana.text).toMatch(/Compromiso 3 de 8/);
    await store.close();
  });

  it('re-asks unclear votes and invalid comments with the reason, and lets go after three unclear answers', async () => {
    const { engine } = await draftEngine();
    const ana = person(engine);
    await ana.send('ver el borrador del plan');
    await ana.send('mmm');
    expect(ana.text).toMatch(/Responde «De acuerdo», «En desacuerdo» o «Paso»/);
    await ana.send('compromiso 42');
    expect(ana.text).toMatch(/No encontré ese compromiso/);
    await ana.send('de acuerdo');
    await ana.send('😀😀');
    expect(ana.text).toMatch(/emojis/i);
    await ana.send('x'.repeat(1600));
    expect(ana.text).toMatch(/1\.500/);
    await ana.send('no');
    await ana.send('zzz');
    await ana.send('qwerty');
    const third = await ana.send('cuéntame del clima de mañana');
    // The flow let go: the bot answers the message itself, and the opinions stay.
    expect(third.intent).not.toBeNull();
  });

  it('answers a question mid-way and asks the pending commitment again', async () => {
    const { engine } = await draftEngine();
    const ana = person(engine);
    await ana.send('opinar el borrador');
    await ana.send('¿qué es la transparencia?');
    expect(ana.text).toMatch(/transparencia/i);
    expect(ana.text).toMatch(/Compromiso 1 de 8/);
  });

  it('outside the stage says when it opens or that it closed', async () => {
    const before = person((await draftEngine(DURING_RECEPTION)).engine);
    await before.send('quiero opinar sobre el borrador');
    expect(before.text).toMatch(/abre el 1 de abril de 2028/);
    const after = person((await draftEngine('2028-05-10T15:00:00Z')).engine);
    await after.send('quiero opinar sobre el borrador');
    expect(after.text).toMatch(/cerró el 30 de abril de 2028/);
    expect(after.options).toContain('Ver resultados');
  });

  it('"mis datos" shows the opinions and "borrar mis datos" withdraws them', async () => {
    const { engine, store } = await draftEngine();
    const ana = person(engine);
    await ana.send('opinar el borrador');
    await ana.send('de acuerdo');
    await ana.send('Me parece bien, llamar a Juana al +56 9 1111 2222');
    await ana.send('mis datos');
    expect(ana.text).toMatch(/Opiniones sobre el borrador/);
    expect(ana.text).toMatch(/C1 Justicia abierta/);
    await ana.send('borrar mis datos');
    await ana.send('1');
    const key = store.userKey('test', 'ana');
    expect((await store.opinionsOf(key))[0]!.comment).not.toContain('1111');
    await ana.send('borrar mis datos');
    await ana.send('2');
    expect((await store.opinionsOf(key))).toEqual([]);
  });

  it('invites the authors of the proposals a commitment integrates, once', async () => {
    const clock = new TestClock('2027-03-15T12:00:00Z');
    const { engine, store } = await testEngine({ clock });
    const author = person(engine, 'autora');
    // GA-2027-000001 is the origin of C1 in the example draft.
    await store.submit({ ...sample(1), userKey: store.userKey('test', 'autora'), channel: 'test' }, clock.now(), 2027);
    await author.send('hola');
    expect(author.text).not.toMatch(/quedó integrada/);
    clock.set(DURING_DRAFT);
    await author.send('hola');
    expect(author.text).toMatch(/GA-2027-000001.*quedó integrada en el compromiso \*\*C1 Justicia abierta/s);
    expect(author.options).toContain('Opinar el borrador');
    await author.send('hola');
    expect(author.text).not.toMatch(/quedó integrada/);
  });

  it('200 people voting on the same commitment at once: 200 opinions, exact counts', async () => {
    const { engine, store } = await draftEngine();
    const people = Array.from({ length: 200 }, (_, i) => person(engine, `p${i}`));
    await Promise.all(people.map((p) => p.send('opinar el borrador')));
    await Promise.all(people.map((p, i) => p.send(['de acuerdo', 'en desacuerdo', 'paso'][i % 3]!)));
    const c1 = (await store.opinions('C1'));
    expect(c1).toHaveLength(200);
    expect(c1.filter((o) => o.vote === 'agree')).toHaveLength(67);
    expect(c1.filter((o) => o.vote === 'disagree')).toHaveLength(67);
    expect(c1.filter((o) => o.vote === 'pass')).toHaveLength(66);
  });

  it.each([
    ['De acuerdo', 'agree'], ['sí, de acuerdo', 'agree'], ['estoy de acuerdo', 'agree'], ['1', 'agree'], ['a favor', 'agree'],
    ['En desacuerdo', 'disagree'], ['no estoy de acuerdo', 'disagree'], ['no', 'disagree'], ['2', 'disagree'], ['en contra', 'disagree'],
    ['Paso', 'pass'], ['paso', 'pass'], ['3', 'pass'], ['no sé', 'pass'], ['prefiero no opinar', 'pass'],
    ['mmm', undefined], ['4', undefined], ['tal vez mañana', undefined],
  ])('reads %j as %s', (text, vote) => {
    expect(parseVote(text)).toBe(vote);
  });
});

describe('the stage-aware assistant', () => {
  it.each([
    ['2026-10-20T15:00:00Z', 'Fechas', /sensibilización/],
    [DURING_RECEPTION, 'Enviar propuesta', /enviar tu propuesta/],
    ['2027-12-10T15:00:00Z', 'Mesas de trabajo', /mesas de trabajo/],
    ['2028-02-10T15:00:00Z', 'Ver resultados', /ver los resultados/],
    [DURING_DRAFT, 'Opinar el borrador', /opinar el borrador/],
    ['2028-07-01T15:00:00Z', 'Ver resultados', /terminó/],
  ])('on %s the welcome, help and fallback offer %j first', async (iso, option, line) => {
    const { engine } = await draftEngine(iso);
    const ana = person(engine);
    for (const text of ['hola', 'ayuda', 'cuál es la capital de mongolia']) {
      await ana.send(text);
      expect(ana.options[0], text).toBe(option);
      expect(ana.text, text).toMatch(line);
      // Another stage's action is never offered.
      for (const other of ['Enviar propuesta', 'Opinar el borrador', 'Mesas de trabajo', 'Ver resultados'].filter((o) => o !== option)) {
        expect(ana.options, text).not.toContain(other);
      }
    }
    await ana.send('fechas');
    if (option !== 'Fechas') expect(ana.options[0]).toBe(option);
  });

  it('explains the work tables and how proposals are selected, with dates', async () => {
    const ana = person((await draftEngine(DURING_RECEPTION)).engine);
    await ana.send('qué son las mesas de trabajo');
    expect(ana.text).toMatch(/mesas de trabajo.*del 1 de diciembre de 2027 al 31 de enero de 2028/s);
    await ana.send('quien decide que propuestas quedan');
    expect(ana.text).toMatch(/Mesa de Gobierno Abierto/);
    expect(ana.text).toMatch(/criterios y estándares/);
  });
});
