/**
 * `npm run bench`: the figures the README reports, from one run. This machine is shared and
 * noisy; read medians and ratios, not single numbers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadContent } from '../src/content/load.js';
import { cabildoScores, nlpjsScores } from './nlu.js';
import { draftLatency, engineLatency, percentile, postgresSubmissionLatency, submissionLatency } from './engine.js';
import { BENCH_PG, emptyDatabase } from './postgres.js';
import { httpLatency } from './http.js';
import { resultsLatency } from './results.js';
import { CHROMIUM, replyOnScreen } from './reply-on-screen.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const f = (n: number, digits = 2) => n.toFixed(digits);
const content = loadContent(root);

console.log('# Cabildo benchmark\n');
console.log(`node ${process.version}, ${new Date().toISOString()}\n`);

const ours = await cabildoScores(content, root);
const theirs = await nlpjsScores(content, root);
console.log('## Understanding (test/nlu/heldout.tsv, heldout-hard.tsv and heldout-formal.tsv)\n');
console.log('| | held-out file | in-scope accuracy | out-of-scope recall | training |');
console.log('|---|---|---|---|---|');
for (const [name, scores] of [['Cabildo', ours], ['nlp.js (node-nlp)', theirs]] as const) {
  for (const s of scores.sets) console.log(`| ${name} | ${s.file} | ${f(s.accuracy, 3)} | ${f(s.outOfScopeRecall, 3)} | ${f(scores.trainMs, 0)} ms |`);
}

console.log('\n## Engine, mixed script of questions and full proposals, one core\n');
console.log('| store | messages | messages/s | p50 | p99 |');
console.log('|---|---|---|---|---|');
for (const store of BENCH_PG ? (['memory', 'file', 'postgres'] as const) : (['memory', 'file'] as const)) {
  const r = await engineLatency(root, store, 200);
  console.log(`| ${store} | ${r.messages} | ${f(r.perSecond, 0)} | ${f(r.p50, 3)} ms | ${f(r.p99, 3)} ms |`);
}

console.log('\n## Draft consultation: each person through all 8 commitments (file store, one core)\n');
console.log('| people | messages | messages/s | p50 | p99 |');
console.log('|---|---|---|---|---|');
{
  const r = await draftLatency(root, 200);
  console.log(`| 200 | ${r.messages} | ${f(r.perSecond, 0)} | ${f(r.p50, 3)} ms | ${f(r.p99, 3)} ms |`);
}

interface ColdStart {
  fromProcessStart: number;
  createEngine: number;
  cpu: number;
}
const coldStart = (...modelCache: string[]): ColdStart =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('cold-start.ts', import.meta.url)), root, ...modelCache], { encoding: 'utf8' })) as ColdStart;
const median = (starts: ColdStart[], field: keyof ColdStart) => f(percentile(starts.map((s) => s[field]).sort((a, b) => a - b), 50), 0);
const range = (starts: ColdStart[]) => `${f(Math.min(...starts.map((s) => s.createEngine)), 0)}–${f(Math.max(...starts.map((s) => s.createEngine)), 0)}`;
const training = Array.from({ length: 5 }, () => coldStart());
const modelFolder = mkdtempSync(join(tmpdir(), 'cabildo-bench-model-'));
coldStart(modelFolder); // trains and stores the model, as the first start of an installation does
const restarts = Array.from({ length: 5 }, () => coldStart(modelFolder));
rmSync(modelFolder, { recursive: true });
console.log('\n## Cold start (median of 5 processes each)\n');
console.log('| start | process start to engine ready (with tsx) | createEngine alone (range) | CPU time of createEngine, all threads |');
console.log('|---|---|---|---|');
console.log(`| first start: trains the model | ${median(training, 'fromProcessStart')} ms | ${median(training, 'createEngine')} ms (${range(training)}) | ${median(training, 'cpu')} ms |`);
console.log(`| restart: reads the stored model | ${median(restarts, 'fromProcessStart')} ms | ${median(restarts, 'createEngine')} ms (${range(restarts)}) | ${median(restarts, 'cpu')} ms |`);

console.log('\n## Submission latency on the JSON file (acknowledged = on disk), 40 sequential submissions (10 at 100,000)\n');
console.log('| proposals already stored | store file | p50 | p99 |');
console.log('|---|---|---|---|');
for (const existing of [1_000, 10_000, 100_000]) {
  const r = await submissionLatency(existing, existing >= 100_000 ? 10 : 40);
  console.log(`| ${existing.toLocaleString('en')} | ${f(r.fileMb, 1)} MB | ${f(r.p50, 1)} ms | ${f(r.p99, 1)} ms |`);
}
if (BENCH_PG) {
  console.log('\n## Submission latency on PostgreSQL (acknowledged = committed), 200 sequential submissions after 5 warm-up\n');
  console.log('| proposals already stored | p50 | p99 |');
  console.log('|---|---|---|');
  for (const existing of [1_000, 100_000]) {
    const r = await postgresSubmissionLatency(existing);
    console.log(`| ${existing.toLocaleString('en')} | ${f(r.p50, 2)} ms | ${f(r.p99, 2)} ms |`);
  }
} else {
  console.log('\n(PostgreSQL figures skipped: set CABILDO_BENCH_PG or CABILDO_TEST_PG to a server URL.)');
}

console.log('\n## HTTP: Direct Line on loopback, 200 conversations at once, server in its own process\n');
console.log('Per message: post-activity plus the poll that returns the reply (questions, then a whole proposal). "paced": 1-3 s between a person\'s messages; "saturated": no pause.\n');
console.log('| load | messages | messages/s | p50 | p99 | errors |');
console.log('|---|---|---|---|---|---|');
for (const pace of [true, false]) {
  const http = await httpLatency(root, 200, pace);
  console.log(`| ${pace ? 'paced' : 'saturated'} | ${http.messages} | ${f(http.perSecond, 0)} | ${f(http.p50, 1)} ms | ${f(http.p99, 1)} ms | ${http.errors} |`);
}
if (BENCH_PG) {
  console.log('\n## HTTP on PostgreSQL: one instance against two on one database (each conversation alternating between them)\n');
  console.log('| instances | load | messages | messages/s | p50 | p99 | errors |');
  console.log('|---|---|---|---|---|---|---|');
  for (const instances of [1, 2]) {
    for (const pace of [true, false]) {
      const db = await emptyDatabase();
      try {
        const http = await httpLatency(root, 200, pace, { url: db.url, instances });
        console.log(`| ${instances} | ${pace ? 'paced' : 'saturated'} | ${http.messages} | ${f(http.perSecond, 0)} | ${f(http.p50, 1)} ms | ${f(http.p99, 1)} ms | ${http.errors} |`);
      } finally {
        await db.drop();
      }
    }
  }
}

console.log('\n## Public results with 10,000 proposals and 50,000 opinions (JSON store, server in its own process)\n');
{
  const r = await resultsLatency(root);
  console.log(`Store file ${f(r.fileMb, 1)} MB. Request to last byte, gzip accepted. "first" builds the page or file after the server started; the next 200 sequential requests come from the cache (p50, p99); "rebuilt" is the first request after one more proposal was filed in the chat.\n`);
  console.log('| path | first | p50 | p99 | rebuilt |');
  console.log('|---|---|---|---|---|');
  for (const p of r.pages) console.log(`| \`${p.path}\` | ${f(p.first, 0)} ms | ${f(p.p50, 1)} ms | ${f(p.p99, 1)} ms | ${f(p.rebuilt, 0)} ms |`);
  console.log(`\nChat (40 Direct Line conversations at once, questions): alone p50 ${f(r.chatAlone.p50, 0)} ms, p99 ${f(r.chatAlone.p99, 0)} ms; while 4 clients fetch the three addresses non-stop p50 ${f(r.chatWithPages.p50, 0)} ms, p99 ${f(r.chatWithPages.p99, 0)} ms (${r.pageRequestsDuringChat} page requests meanwhile, p50 ${f(r.pagesDuringChat.p50, 1)} ms, p99 ${f(r.pagesDuringChat.p99, 1)} ms).`);
}

console.log('\n## Reply on screen: Enter to the bot\'s reply drawn, Web Chat in headless Chromium, 50 messages each\n');
{
  // A Chromium that is there but will not start is reported, not fatal to the rest of the run.
  const screen = await replyOnScreen(root, 50).catch((error: unknown) => `Chromium did not run: ${(error as Error).message.split('\n')[0]}`);
  if (typeof screen === 'string') console.log(`(skipped: ${screen})`);
  else if (!screen) console.log(`(skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`);
  else {
    console.log('| transport | messages | p50 | p95 |');
    console.log('|---|---|---|---|');
    for (const r of screen) console.log(`| ${r.transport === 'streaming' ? 'WebSocket stream' : 'polling (500 ms)'} | ${r.messages} | ${f(r.p50, 0)} ms | ${f(r.p95, 0)} ms |`);
  }
}
