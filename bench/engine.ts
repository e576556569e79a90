/** Engine throughput and latency on a mixed script, cold start, and submission latency with a full store. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../src/engine.js';
import { openFileStore, openMemoryStore } from '../src/store/open.js';
import { emptyStoreData } from '../src/store/store.js';
import type { Proposal } from '../src/types.js';
import { postgresStore } from './postgres.js';

export const QUESTIONS = [
  'hola', 'qué es el gobierno abierto', 'cuales son los pilares', 'q es la ogp', 'como entra un pais a la alianza',
  'cuántos planes tiene chile', 'como se arma un compromiso', 'cuando se reciben propuestas', 'qué es la mesa de gobierno abierto',
  'dame ejemplos de compromisos', 'como puedo participar', 'que hacen con mis datos', 'receta de empanadas', 'gracias', 'chao',
];
export const PROPOSAL = [
  'quiero enviar una propuesta', 'Presupuesto comunal en lenguaje claro',
  'Nadie en mi comuna entiende en qué se gasta el presupuesto municipal',
  'Publicar cada trimestre el presupuesto en datos abiertos y un resumen por barrio', 'Municipalidad y juntas de vecinos',
  'Portal de datos, resumen por barrio y dos cabildos al año', 'Municipalidad de Renca', '1 y 3', 'Renca', 'no', 'confirmar', 'mis propuestas',
];

export interface Latency {
  messages: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Each simulated person asks questions and files one proposal; messages are sent one at a time. */
export async function mixedScript(engine: Engine, people: number): Promise<Latency> {
  const times: number[] = [];
  const start = performance.now();
  for (let u = 0; u < people; u++) {
    const script = [...QUESTIONS.slice(u % 5, (u % 5) + 6), ...PROPOSAL];
    for (const text of script) {
      const t = performance.now();
      await engine.handle({ channel: 'bench', userId: `u${u}`, text });
      times.push(performance.now() - t);
    }
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  return { messages: times.length, perSecond: (times.length / total) * 1000, p50: percentile(times, 50), p99: percentile(times, 99) };
}

const clock = () => new Date('2027-03-15T15:00:00Z');

export async function engineLatency(root: string, store: 'memory' | 'file' | 'postgres', people: number): Promise<Latency> {
  const pg = store === 'postgres' ? await postgresStore() : undefined;
  const s = pg?.store ?? (store === 'memory' ? openMemoryStore() : await openFileStore(join(mkdtempSync(join(tmpdir(), 'cabildo-bench-')), 'db.json')));
  const engine = await createEngine({ contentDir: root, store: s, clock });
  await mixedScript(engine, 5); // warm-up: JIT and typo-correction caches
  const result = await mixedScript(engine, people);
  if (pg) await pg.drop();
  else await s.close();
  return result;
}

/** Submission latency on PostgreSQL with `existing` proposals already stored. */
export async function postgresSubmissionLatency(existing: number, submissions = 200): Promise<{ p50: number; p99: number }> {
  const { store, drop } = await postgresStore(existing);
  const text = 'Texto de ejemplo de una propuesta ciudadana con un largo realista, como los que escribe la gente. '.repeat(3);
  const times: number[] = [];
  // The first few open the pool's connections and prepare plans: not what a steady server pays.
  for (let i = -5; i < submissions; i++) {
    const t = performance.now();
    await store.submit({ title: 'Nueva', problem: text, description: text, actors: 'a', components: text, institution: 'b', pillars: ['participation'], territory: 'Renca', channel: 'bench', userKey: 'x', consent: false }, clock(), 2027);
    if (i >= 0) times.push(performance.now() - t);
  }
  await drop();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Submission latency (store write acknowledged) with `existing` proposals already stored. */
export async function submissionLatency(existing: number, submissions = 40): Promise<{ p50: number; p99: number; fileMb: number }> {
  const file = join(mkdtempSync(join(tmpdir(), 'cabildo-bench-')), 'db.json');
  const data = emptyStoreData();
  const text = 'Texto de ejemplo de una propuesta ciudadana con un largo realista, como los que escribe la gente. '.repeat(3);
  for (let i = 1; i <= existing; i++) {
    const at = new Date().toISOString();
    const p: Proposal = {
      id: `GA-2027-${String(i).padStart(6, '0')}`, createdAt: at, updatedAt: at, channel: 'bench', userKey: `k${i}`,
      title: `Propuesta ${i}`, problem: text, description: text, actors: 'Municipalidad', components: text,
      institution: 'Municipalidad', pillars: ['transparency'], territory: 'Renca', consent: false, status: 'recibida',
      history: [{ status: 'recibida', at, by: 'citizen' }],
    };
    data.proposals.push(p);
  }
  data.counters['2027'] = existing;
  const serialized = JSON.stringify(data);
  writeFileSync(file, serialized);
  const store = await openFileStore(file);
  const times: number[] = [];
  for (let i = 0; i < submissions; i++) {
    const t = performance.now();
    await store.submit({ title: 'Nueva', problem: text, description: text, actors: 'a', components: text, institution: 'b', pillars: ['participation'], territory: 'Renca', channel: 'bench', userKey: 'x', consent: false }, clock(), 2027);
    times.push(performance.now() - t);
  }
  await store.close();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), fileMb: serialized.length / 1e6 };
}

/** A whole draft consultation per person: 8 votes, some comments, the most important one. */
export const DRAFT = [
  'quiero opinar sobre el borrador',
  ...['de acuerdo', 'en desacuerdo', 'paso', 'de acuerdo', 'de acuerdo', 'en desacuerdo', 'paso', 'de acuerdo'].flatMap((vote, i) => [
    vote,
    i % 3 === 0 ? 'Me parece importante que se publique en lenguaje claro y con datos por barrio' : 'no',
  ]),
  '3',
  'mis opiniones',
];

/** `people` people, one after another, each through the whole draft consultation, on the file store. */
export async function draftLatency(root: string, people: number): Promise<Latency> {
  const s = await openFileStore(join(mkdtempSync(join(tmpdir(), 'cabildo-bench-')), 'db.json'));
  const engine = await createEngine({ contentDir: root, store: s, clock: () => new Date('2028-04-10T15:00:00Z') });
  const times: number[] = [];
  const start = performance.now();
  for (let u = 0; u < people; u++) {
    for (const text of DRAFT) {
      const t = performance.now();
      await engine.handle({ channel: 'bench', userId: `d${u}`, text });
      times.push(performance.now() - t);
    }
  }
  const total = performance.now() - start;
  await s.close();
  times.sort((a, b) => a - b);
  return { messages: times.length, perSecond: (times.length / total) * 1000, p50: percentile(times, 50), p99: percentile(times, 99) };
}
