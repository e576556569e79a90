/**
 * The public results under load: a server in its own process over a JSON store holding 10,000
 * proposals and 50,000 opinions. Page and file latency (the first request builds, the rest come
 * from the cache), and the chat's latency alone and while the pages are fetched non-stop.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyStoreData } from '../src/store/store.js';
import { PILLARS, PROPOSAL_STATUSES, VOTES, type Opinion, type Priority, type Proposal } from '../src/types.js';
import { percentile, PROPOSAL, QUESTIONS } from './engine.js';
import { conversation, startServer } from './http.js';

export const RESULT_PATHS = ['/resultados', '/resultados?estado=seleccionada&territorio=Renca', '/datos/propuestas.csv'];

export interface Timing {
  p50: number;
  p99: number;
}

export interface ResultsBench {
  proposals: number;
  opinions: number;
  fileMb: number;
  /** `first`: built after the server started; `rebuilt`: built again after one new proposal (masking remembered). */
  pages: { path: string; first: number; p50: number; p99: number; rebuilt: number }[];
  chatAlone: Timing;
  chatWithPages: Timing;
  pagesDuringChat: Timing;
  pageRequestsDuringChat: number;
}

const TERRITORIES = ['Renca', 'Peñalolén', 'Valparaíso', 'Nacional', 'Región del Biobío', 'Temuco', 'Antofagasta', 'Maipú'];

/** A store file as the server would have written it after a busy consultation. */
function storeFile(proposals: number, people: number, commitments: number): { file: string; mb: number } {
  const data = emptyStoreData();
  const text = 'Texto de ejemplo de una propuesta ciudadana con un largo realista, como los que escribe la gente. '.repeat(2);
  const base = Date.parse('2026-11-20T12:00:00Z');
  for (let i = 1; i <= proposals; i++) {
    const at = new Date(base + i * 60_000).toISOString();
    const status = PROPOSAL_STATUSES[i % 4]!;
    const p: Proposal = {
      id: `GA-2026-${String(i).padStart(6, '0')}`, createdAt: at, updatedAt: at, channel: 'whatsapp', userKey: `k${i}`,
      title: `Propuesta ${i} sobre presupuesto y datos abiertos`, problem: text, description: text, actors: 'Municipalidad y vecinos', components: text,
      institution: 'Municipalidad', pillars: [PILLARS[i % PILLARS.length]!], territory: TERRITORIES[i % TERRITORIES.length]!, consent: false, status,
      history: [{ status: 'recibida', at, by: 'citizen' }, ...(status !== 'recibida' ? [{ status, at, by: 'staff:bench', answer: 'Respuesta razonada del equipo.' }] : [])],
      ...(status !== 'recibida' ? { answer: 'Respuesta razonada del equipo.' } : {}),
    };
    data.proposals.push(p);
  }
  data.counters['2026'] = proposals;
  const opinions: Opinion[] = [];
  const priorities: Priority[] = [];
  const counters: Record<string, number> = {};
  for (let u = 0; u < people; u++) {
    for (let c = 1; c <= commitments; c++) {
      const commitmentId = `C${c}`;
      const o: Opinion = { commitmentId, userKey: `u${u}`, vote: VOTES[(u + c) % 3]!, at: new Date(base + u * 1000).toISOString() };
      if ((u + c) % 5 === 0) {
        counters[commitmentId] = (counters[commitmentId] ?? 0) + 1;
        Object.assign(o, { comment: `Comentario ${u} sobre ${commitmentId}: me parece bien, pero falta plazo.`, commentNo: counters[commitmentId], channel: 'webchat' });
      }
      opinions.push(o);
    }
    priorities.push({ userKey: `u${u}`, commitmentId: `C${(u % commitments) + 1}`, at: new Date(base + u * 1000).toISOString() });
  }
  Object.assign(data, { opinions, priorities, commentCounters: counters });
  const file = join(mkdtempSync(join(tmpdir(), 'cabildo-bench-results-')), 'db.json');
  const serialized = JSON.stringify(data);
  writeFileSync(file, serialized);
  return { file, mb: serialized.length / 1e6 };
}

/** Request to last byte, as a browser asking for gzip receives it (not counting the client's own decompression). */
function timed(url: string): Promise<number> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
    })
      .on('error', reject)
      .end();
  });
}

const summary = (times: number[]): Timing => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/** 40 conversations at once, each asking 6 questions (no writes: the cache stays warm, as between proposals). */
async function chat(base: string): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(Array.from({ length: 40 }, (_, i) => conversation(base, QUESTIONS.slice(i % 5, (i % 5) + 6), times)));
  return times;
}

export async function resultsLatency(root: string, requests = 200): Promise<ResultsBench> {
  const people = 6_250;
  const commitments = 8;
  const { file, mb } = storeFile(10_000, people, commitments);
  const server = await startServer(root, file);
  try {
    const pages: ResultsBench['pages'] = [];
    for (const path of RESULT_PATHS) {
      const first = await timed(server.url + path);
      const times: number[] = [];
      for (let i = 0; i < requests; i++) times.push(await timed(server.url + path));
      pages.push({ path, first, ...summary(times), rebuilt: 0 });
    }
    const base = `${server.url}/v3/directline`;
    if ((await conversation(base, PROPOSAL, [])) > 0) throw new Error('the proposal conversation failed');
    for (const p of pages) p.rebuilt = await timed(server.url + p.path);
    await chat(base); // warm-up
    const chatAlone = summary(await chat(base));
    let running = true;
    const pageTimes: number[] = [];
    const fetchers = Array.from({ length: 4 }, async (_, k) => {
      for (let i = k; running; i++) pageTimes.push(await timed(server.url + RESULT_PATHS[i % RESULT_PATHS.length]!));
    });
    const chatWithPages = summary(await chat(base));
    running = false;
    await Promise.all(fetchers);
    return { proposals: 10_000, opinions: people * commitments, fileMb: mb, pages, chatAlone, chatWithPages, pagesDuringChat: summary(pageTimes), pageRequestsDuringChat: pageTimes.length };
  } finally {
    await server.stop();
  }
}
