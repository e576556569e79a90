/**
 * Flows on their own, with a memory store: what a step says, without the engine around it;
 * and the engine's shared duties (cancel, a state of another version) for every flow.
 */
import { describe, expect, it } from 'vitest';
import { deletionFlow } from '../../src/dialog/deletion-flow.js';
import type { FlowContext } from '../../src/dialog/flow.js';
import { proposalFlow } from '../../src/dialog/proposal-flow.js';
import { silentLogger } from '../../src/logger.js';
import { openMemoryStore } from '../../src/store/open.js';
import { content, person, testEngine, TestClock } from '../helpers/conversation.js';
import { sample } from '../helpers/sample.js';

function context(now = new TestClock().now()): FlowContext {
  return { content: content(), store: openMemoryStore(), userKey: 'k', channel: 'test', now, log: silentLogger, isQuestion: () => false, proposalSubmitted: () => {} };
}

describe('the deletion flow', () => {
  it('does not begin when there is nothing to erase', async () => {
    const step = await deletionFlow.start(context());
    expect(step).toMatchObject({ kind: 'done', replies: [{ text: expect.stringMatching(/No tengo ningún dato tuyo/) }] });
  });

  it('asks once more when the answer is neither choice, then lets the text go', async () => {
    const ctx = context();
    await ctx.store.submit(sample(1, 'k'), ctx.now);
    const started = await deletionFlow.start(ctx);
    if (started.kind !== 'continue') throw new Error('expected the flow to begin');
    const again = await deletionFlow.next(ctx, started.state, 'sí');
    if (again.kind !== 'continue') throw new Error('expected the choice asked again');
    expect(again.state.asked).toBe(true);
    expect(await deletionFlow.next(ctx, again.state, '¿qué es la OGP?')).toEqual({ kind: 'leave' });
    expect((await ctx.store.byUser('k'))[0]!.status).toBe('recibida');
  });
});

describe('the proposal flow', () => {
  it('does not begin outside reception', async () => {
    const step = await proposalFlow.start(context(new Date('2027-12-05T12:00:00Z')));
    expect(step).toMatchObject({ kind: 'done', replies: [{ text: expect.stringMatching(/cerró/) }] });
  });
});

describe('the engine, for every flow', () => {
  it('cancels any flow with its own words', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine, 'ana');
    await store.submit(sample(1, engine.userKey('test', 'ana')), new Date());
    await ana.send('borrar mis datos');
    await ana.send('cancelar');
    expect(ana.text).toMatch(/no borré nada/);
    await ana.send('enviar propuesta');
    await ana.send('cancelar');
    expect(ana.text).toMatch(/cancelé la propuesta/);
    expect((await store.session(engine.userKey('test', 'ana')))).toBeUndefined();
  });

  it('drops a saved state of another version with a notice, instead of misreading it', async () => {
    const { engine, store, clock } = await testEngine();
    const key = engine.userKey('test', 'ana');
    await store.setSession(key, { v: 2, form: 'proposal', step: 'title', draft: {}, trail: [], attempts: 0, editing: false, updatedAt: clock.now().toISOString() } as never);
    const ana = person(engine, 'ana');
    await ana.send('hola');
    expect(ana.text).toMatch(/se descartó/);
    expect(ana.last.intent).toBe('greeting');
  });
});
