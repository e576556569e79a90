import { describe, expect, it } from 'vitest';
import { staticAnswer } from '../src/answers/render.js';
import { createUnderstander } from '../src/nlu/understand.js';
import { content, expectWellFormed, person, testEngine } from './helpers/conversation.js';

describe('intent answers', () => {
  const c = content();
  const nlu = createUnderstander(c.intents);

  it('fill every fact, fit a phone screen, and offer options that lead somewhere', () => {
    for (const [name, file] of c.intents) {
      if (!file.answer) continue;
      const reply = staticAnswer(c, file.answer);
      expectWellFormed([reply]);
      expect(reply.text.length, name).toBeLessThanOrEqual(1200);
      for (const option of reply.options ?? []) {
        expect(nlu.understand(option).intent, `${name}: option "${option}"`).not.toBe('none');
      }
    }
  });

  it.each([
    ['qué es la alianza para el gobierno abierto', 'ogp', [/2011/, /75 gobiernos nacionales/, /2022/]],
    ['quiénes forman la mesa de gobierno abierto', 'forum', [/852/, /2017/]],
    ['cuántos planes de acción ha tenido chile', 'chile.plans', [/2012/, /19 compromisos/]],
    ['cómo entra un país a la OGP', 'ogp.membership', [/carta de intención/i]],
    ['cómo se construye un compromiso', 'commitment', [/problema/i, /actores/i, /componentes/i, /institución responsable/i]],
    ['cuáles son los pilares del gobierno abierto', 'pillars', [/transparencia/i, /participación/i, /rendición de cuentas/i]],
  ] as const)('answers "%s" with %s and its facts', async (question, intent, patterns) => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await ana.send(question);
    expect(ana.last.intent).toBe(intent);
    for (const p of patterns) expect(ana.text).toMatch(p);
  });

  it('says it did not understand out-of-scope text and offers what it can do', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await ana.send('asdfgh qwerty');
    expect(ana.last.intent).toBe('none');
    expect(ana.options.length).toBeGreaterThan(0);
  });
});

describe('timeline', () => {
  it('says which stage is on and what comes next, relative to today', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await ana.send('cuáles son las fechas de la consulta');
    expect(ana.last.intent).toBe('timeline');
    expect(ana.text).toMatch(/Ahora estamos en \*\*Recepción de propuestas\*\*/);
    expect(ana.text).toMatch(/Mesas de trabajo\*\*, desde el 1 de diciembre de 2027/);
    expect(ana.text).toMatch(/hasta el 30 de noviembre de 2027/);
    expect(ana.options).toContain('Enviar propuesta');
  });

  it('before the first stage and after the last', async () => {
    const early = await testEngine();
    early.clock.set('2026-01-10T12:00:00Z');
    const a = person(early.engine);
    await a.send('fechas');
    expect(a.text).toMatch(/comienza el 1 de octubre de 2026/);

    const late = await testEngine();
    late.clock.set('2029-01-10T12:00:00Z');
    const b = person(late.engine);
    await b.send('fechas');
    expect(b.text).toMatch(/ya terminó/);
  });
});
