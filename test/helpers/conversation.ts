/**
 * Tests read like conversations: `send` a message, look at what came back.
 */
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { createEngine, type Engine } from '../../src/engine.js';
import { loadContent, type Content } from '../../src/content/load.js';
import { openMemoryStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/port.js';
import type { Reply, TurnResult } from '../../src/types.js';
import { unescapeMarkdown } from '../../src/text/markdown.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/** A date inside the shipped calendar's reception stage. */
export const DURING_RECEPTION = '2027-03-15T15:00:00Z';

let cached: Content | undefined;
/** The shipped content, loaded once per test file. */
export function content(): Content {
  cached ??= loadContent(ROOT);
  return cached;
}

/** A clock the test can move. */
export class TestClock {
  private time: number;
  constructor(iso: string = DURING_RECEPTION) {
    this.time = Date.parse(iso);
  }
  now = (): Date => new Date(this.time);
  advance(ms: number): void {
    this.time += ms;
  }
  set(iso: string): void {
    this.time = Date.parse(iso);
  }
}

export async function testEngine(options: { store?: Store; clock?: TestClock } = {}) {
  const store = options.store ?? openMemoryStore('test-secret-0123456789');
  const clock = options.clock ?? new TestClock();
  const engine = await createEngine({ contentDir: ROOT, store, clock: clock.now });
  return { engine, store, clock };
}

/** One person talking to the engine. */
export function person(engine: Engine, userId = 'ana', channel = 'test') {
  let last: TurnResult = { intent: null, replies: [] };
  return {
    async send(text: string): Promise<TurnResult> {
      last = await engine.handle({ channel, userId, text });
      return last;
    },
    /** All reply texts of the last turn, joined, as the person reads them (markdown escapes undone). */
    get text(): string {
      return unescapeMarkdown(last.replies.map((r) => r.text).join('\n\n'));
    },
    get last(): TurnResult {
      return last;
    },
    get options(): string[] {
      return last.replies.at(-1)?.options ?? [];
    },
  };
}

/** Every reply keeps the channel-neutral contract. */
export function expectWellFormed(replies: Reply[]): void {
  expect(replies.length).toBeGreaterThan(0);
  for (const r of replies) {
    expect(r.text.trim().length).toBeGreaterThan(0);
    expect(r.text).not.toMatch(/\{\{|\}\}|\{[a-z_]+\}/);
    expect(r.options?.length ?? 0).toBeLessThanOrEqual(10);
    for (const o of r.options ?? []) expect(o.length).toBeLessThanOrEqual(20);
  }
}

/** A complete, valid set of answers to the proposal form, up to the consent question. */
export const PROPOSAL_ANSWERS = [
  'Presupuesto comunal en lenguaje claro',
  'Nadie en mi comuna entiende en qué se gasta el presupuesto municipal',
  'Publicar cada trimestre el presupuesto en datos abiertos y un resumen por barrio',
  'Municipalidad y juntas de vecinos',
  'Portal de datos, resumen por barrio y dos cabildos al año',
  'Municipalidad de Renca',
  '1 y 3',
  'Renca',
];
