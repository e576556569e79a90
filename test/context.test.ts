/**
 * Follow-ups are read in the context of the last answer for a few minutes, and only then.
 */
import { describe, expect, it } from 'vitest';
import { CONTEXT_TTL_MS, followUpOf } from '../src/dialog/context.js';
import { openFileStore } from '../src/store/open.js';
import { person, testEngine } from './helpers/conversation.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('follow-ups in context', () => {
  it('"y eso cuándo es?" after the selection answer gives the selection dates', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await ana.send('quien decide que propuestas quedan');
    await ana.send('y eso cuándo es?');
    expect(ana.text).toMatch(/Selección de propuestas\*\*: del 1 de marzo de 2028 al 31 de marzo de 2028/);
  });

  it('"dime más" after a fact gives the topic\'s overview, then what the overview left out', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await ana.send('cuántos países tiene la OGP');
    expect(ana.text).toMatch(/75 gobiernos nacionales/);
    expect(ana.options[0]).toBe('Ver más');
    await ana.send('Ver más');
    expect(ana.last.intent).toBe('ogp');
    expect(ana.text).toMatch(/iniciativa multilateral/);
    await ana.send('dime más');
    expect(ana.text).toMatch(/planes de acción/);
    expect(ana.text).toMatch(/Chile es miembro desde 2011/);
  });

  it('"y en mi comuna?" after OGP speaks of communes and OGP Local', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await ana.send('qué es la OGP');
    await ana.send('y en mi comuna?');
    expect(ana.text).toMatch(/346 comunas/);
    expect(ana.text).toMatch(/OGP Local/);
  });

  it('"y en mi comuna?" after how to take part says the consultation takes everyone, from any commune', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await ana.send('cómo puedo participar');
    await ana.send('y en mi comuna?');
    expect(ana.text).toMatch(/desde cualquier comuna/);
  });

  it('forgets the context after the window: the same follow-up is then a question of its own', async () => {
    const { engine, clock } = await testEngine();
    const ana = person(engine);
    await ana.send('quien decide que propuestas quedan');
    clock.advance(CONTEXT_TTL_MS + 60_000);
    await ana.send('y eso cuándo es?');
    expect(ana.text).not.toMatch(/Selección de propuestas\*\*: del 1 de marzo/);
    const bea = person(engine, 'bea');
    await bea.send('cuántos países tiene la OGP');
    clock.advance(CONTEXT_TTL_MS + 60_000);
    await bea.send('dime más');
    expect(bea.text).toMatch(/¿Sobre qué tema quieres saber más\?/);
    expect(bea.text).not.toMatch(/iniciativa multilateral/);
  });

  it('keeps the context in the store, so another process reads the follow-up the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cabildo-context-'));
    const first = await testEngine({ store: await openFileStore(join(dir, 'db.json'), { secret: 'test-secret-0123456789' }) });
    await person(first.engine).send('hasta cuando puedo mandar propuestas');
    await first.store.close();
    const second = await testEngine({ store: await openFileStore(join(dir, 'db.json'), { secret: 'test-secret-0123456789' }) });
    const ana = person(second.engine);
    await ana.send('y después qué pasa?');
    expect(ana.text).toMatch(/mesas de trabajo/i);
    await second.store.close();
  });

  it('does not count the last topic as personal data in "mis datos" or "borrar mis datos"', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await ana.send('qué es la OGP');
    await ana.send('mis datos');
    expect(ana.text).toMatch(/No tengo ningún dato tuyo guardado/);
    await ana.send('qué es la OGP');
    await ana.send('borrar mis datos');
    expect(ana.text).toMatch(/No tengo ningún dato tuyo guardado/);
  });

  it('tells follow-ups from questions of their own', () => {
    expect(followUpOf('y eso cuándo es?')).toBe('when');
    expect(followUpOf('y despues q pasa?')).toBe('after');
    expect(followUpOf('y en mi comuna?')).toBe('place');
    expect(followUpOf('dime más')).toBe('more');
    expect(followUpOf('Ver más')).toBe('more');
    expect(followUpOf('cuándo es la recepción de propuestas del plan')).toBeUndefined();
    expect(followUpOf('qué es la OGP')).toBeUndefined();
  });
});

describe('expired contexts', () => {
  it('are deleted from the store, so the sessions of everyone who once asked a question do not pile up', async () => {
    const { engine, store, clock } = await testEngine();
    for (const name of ['ana', 'beto', 'carla']) await person(engine, name).send('qué es la OGP');
    const key = (name: string) => engine.userKey('test', name);
    expect(await store.session(key('ana'))).toMatchObject({ form: 'context' });
    clock.advance(CONTEXT_TTL_MS + 60_000);
    await person(engine, 'dani').send('cuáles son los pilares');
    await expect.poll(async () => (await Promise.all(['ana', 'beto', 'carla'].map((n) => store.session(key(n))))).filter(Boolean).length).toBe(0);
    expect(await store.session(key('dani'))).toMatchObject({ form: 'context' });
  });
});
