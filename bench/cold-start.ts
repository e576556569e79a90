// Prints milliseconds from process start until the engine is ready (imports, content, training).
import { createEngine } from '../src/engine.js';
import { openMemoryStore } from '../src/store/open.js';

const t = performance.now();
await createEngine({ contentDir: process.argv[2]!, store: openMemoryStore() });
process.stdout.write(JSON.stringify({ fromProcessStart: performance.now(), createEngine: performance.now() - t }));
