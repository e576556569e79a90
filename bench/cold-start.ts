// Prints milliseconds from process start until the engine is ready (imports, content, training
// or reading the stored model when a model folder is given), and the CPU time createEngine took
// on all of the process's threads (the garbage collector marks on helper threads): on a busy
// shared machine that is what the wall time drifts towards.
import { createEngine } from '../src/engine.js';
import { openMemoryStore } from '../src/store/open.js';

const [contentDir, modelCache] = process.argv.slice(2);
const t = performance.now();
const cpu = process.cpuUsage();
await createEngine({ contentDir: contentDir!, store: openMemoryStore(), ...(modelCache ? { modelCache } : {}) });
const { user, system } = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ fromProcessStart: performance.now(), createEngine: performance.now() - t, cpu: (user + system) / 1000 }));
