import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { Store } from '../../src/store/port.js';
import { PROPOSAL_ANSWERS, expectWellFormed, person, testEngine } from '../helpers/conversation.js';

// One engine for the file (training the classifier is the slow part); one person per test.
let engine: Engine;
let shared: Store;
let people = 0;
beforeAll(async () => {
  ({ engine, store: shared } = await testEngine());
});

/** Starts a proposal as a new person and answers up to the territory question (8/8). */
async function atTerritory() {
  const userId = `vecina-${++people}`;
  const ana = person(engine, userId);
  await ana.send('quiero enviar una propuesta');
  for (const a of PROPOSAL_ANSWERS.slice(0, -1)) await ana.send(a);
  expect(ana.text).toContain('(8/8)');
  // What this person filed, as stored.
  const store = { list: async () => (await shared.list()).filter((p) => p.userKey === shared.userKey('test', userId)) };
  return { ana, store };
}

/** Answers the territory, declines contact, confirms, and returns what was stored. */
async function fileWith(answer: string) {
  const { ana, store } = await atTerritory();
  await ana.send(answer);
  expect(ana.text).toMatch(/datos de contacto/);
  await ana.send('no');
  await ana.send('confirmar');
  expect(ana.text).toMatch(/GA-2027-\d{6}/);
  return (await store.list())[0]!.territory;
}

describe('the territory question', () => {
  it.each(['asdf qwerty', 'no se', '123', 'mi comuna'])('refuses %j with a clear re-ask and stores nothing', async (junk) => {
    const { ana, store } = await atTerritory();
    await ana.send(junk);
    expectWellFormed(ana.last.replies);
    expect(ana.text).toMatch(/No reconocí ese lugar\. Escribe el nombre de tu comuna \(por ejemplo, Renca\), una región \(Biobío o 8\) o «Nacional»/);
    expect(ana.text).toContain('(8/8)');
    expect(ana.text).not.toMatch(/Quisiste decir/);
    expect(ana.options).toEqual(['Nacional', 'Atrás', 'Cancelar']);
    // The form is still waiting for a territory: a real one moves on, and the junk is nowhere.
    await ana.send('Renca');
    expect(ana.text).toMatch(/datos de contacto/);
    await ana.send('no');
    expect(ana.text).toContain('**Territorio:** Renca\n');
    await ana.send('confirmar');
    expect((await store.list())[0]!.territory).toBe('Renca');
  });

  it.each([
    ['la octava region', 'Región del Biobío'],
    ['valpo', 'Valparaíso'],
    ['conce', 'Concepción'],
    ['stgo', 'Santiago'],
    ['región 13', 'Región Metropolitana de Santiago'],
    ['VIII', 'Región del Biobío'],
    ['puente alro', 'Puente Alto'],
    ['nacional', 'Nacional'],
  ])('recognises %j and stores the official name %j', async (answer, official) => {
    expect(await fileWith(answer)).toBe(official);
  });

  it('asks again with the closest names as options, and one tap picks it', async () => {
    const { ana, store } = await atTerritory();
    await ana.send('valle');
    expectWellFormed(ana.last.replies);
    expect(ana.text).toMatch(/No encontré ese lugar\. ¿Quisiste decir Vallenar u Ovalle\?/);
    expect(ana.text).toContain('(8/8)');
    expect(ana.options).toEqual(['Vallenar', 'Ovalle', 'Nacional', 'Atrás', 'Cancelar']);
    await ana.send('Ovalle');
    expect(ana.text).toMatch(/datos de contacto/);
    await ana.send('no');
    await ana.send('confirmar');
    expect((await store.list())[0]!.territory).toBe('Ovalle');
  });

  it('edits the territory from the summary with the same rules', async () => {
    const { ana, store } = await atTerritory();
    await ana.send('Renca');
    await ana.send('no');
    await ana.send('editar territorio');
    await ana.send('mi comuna');
    expect(ana.text).toMatch(/No reconocí ese lugar/);
    await ana.send('la quinta región');
    expect(ana.text).toContain('**Territorio:** Región de Valparaíso');
    await ana.send('confirmar');
    expect((await store.list())[0]!.territory).toBe('Región de Valparaíso');
  });
});
