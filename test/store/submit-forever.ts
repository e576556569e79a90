// Child process for the SIGKILL test: submits proposals one after another and prints each
// tracking number only once the store has acknowledged it.
import { openFileStore } from '../../src/store/open.js';
import { sample } from '../helpers/sample.js';

const store = await openFileStore(process.argv[2]!);
for (let i = 0; ; i++) {
  const batch = await Promise.all([0, 1, 2].map((j) => store.submit(sample(i * 3 + j), new Date())));
  process.stdout.write(batch.map((p) => `${p.id}\n`).join(''));
}
