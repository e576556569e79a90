import { describe, expect, it } from 'vitest';
import { PROPOSAL_ANSWERS, expectWellFormed, person, testEngine } from './helpers/conversation.js';

describe('bad input', () => {
  it.each([
    ['empty', ''],
    ['whitespace', ' \n\t  '],
    ['emoji only', '😀🙏🇨🇱'],
    ['zero-width and control characters', '\u200B\u200D\u0000\u0007\uFEFF'],
    ['invalid UTF-8 decoded by the channel', '\uFFFD\uFFFD'],
    ['lone surrogate', '\uD800'],
  ])('%s gets a clear reply', async (_, text) => {
    const { engine } = await testEngine();
    const { intent, replies } = await engine.handle({ channel: 'test', userId: 'ana', text });
    expect(intent).toBeNull();
    expectWellFormed(replies);
    expect(replies[0]!.text).toMatch(/No recibí texto/);
  });

  it('a 20,000-character message is read up to the limit, a longer one is cut with a notice', async () => {
    const { engine } = await testEngine();
    const ok = await engine.handle({ channel: 'test', userId: 'ana', text: `qué es la transparencia ${'a'.repeat(19_970)}` });
    expectWellFormed(ok.replies);
    const long = await engine.handle({ channel: 'test', userId: 'ana', text: 'b'.repeat(50_000) });
    expectWellFormed(long.replies);
    expect(long.replies[0]!.text).toMatch(/leí solo los primeros 20\.000 caracteres/);
  });

  it('a title of invisible fillers is refused, and hidden characters never reach the store', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine);
    await ana.send('enviar propuesta');
    await ana.send('\u3164\u3164\u3164 \u2800\u2800');
    expect(ana.text).not.toMatch(/problema/i);
    await ana.send('Lumi\u{E0041}\u{E0042}narias\u180E en la\u061C plaza\u034F norte');
    for (const a of PROPOSAL_ANSWERS.slice(1)) await ana.send(a);
    await ana.send('no');
    await ana.send('confirmar');
    expect((await store.list())[0]!.title).toBe('Luminarias en la plaza norte');
  });

  it('HTML and script tags are kept as plain text, never interpreted', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine);
    const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> Nadie publica el presupuesto municipal';
    await ana.send('enviar propuesta');
    await ana.send(PROPOSAL_ANSWERS[0]!);
    await ana.send(hostile);
    for (const a of PROPOSAL_ANSWERS.slice(2)) await ana.send(a);
    await ana.send('no');
    expect(ana.text).toContain(hostile);
    await ana.send('confirmar');
    expect((await store.list())[0]!.problem).toBe(hostile);
  });

  it('a message in another alphabet is out of scope, and a question with a foreign word keeps its topic', async () => {
    const { engine } = await testEngine();
    expect(engine.understand('что такое открытое правительство').intent).toBe('none');
    const ana = person(engine);
    await ana.send('привет как дела');
    expect(ana.text).toMatch(/No entendí|no sé/i);
    expect(engine.understand('qué es ogp привет').intent).toBe('ogp');
  });

  it('a non-string text from a careless channel does not crash the engine', async () => {
    const { engine } = await testEngine();
    const { replies } = await engine.handle({ channel: 'test', userId: 'ana', text: undefined as unknown as string });
    expectWellFormed(replies);
  });

  it('serialises one person\'s concurrent messages and keeps other people independent', async () => {
    const { engine, store } = await testEngine();
    const messages = ['enviar propuesta', ...PROPOSAL_ANSWERS, 'no', 'confirmar'];
    // Everything sent at once, as a burst from a channel: order must still hold per person.
    await Promise.all(['ana', 'beto', 'carla'].flatMap((user) => messages.map((text) => engine.handle({ channel: 'test', userId: user, text }))));
    expect((await store.list()).map((p) => p.id).sort()).toEqual(['GA-2027-000001', 'GA-2027-000002', 'GA-2027-000003']);
    expect((await store.list()).every((p) => p.title === PROPOSAL_ANSWERS[0])).toBe(true);
  });
});
