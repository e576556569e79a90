// Child process for the restart tests: opens the store, says so, and holds it until killed.
import { openFileStore } from '../../src/store/open.js';

await openFileStore(process.argv[2]!).then(
  () => console.log(`opened as pid ${process.pid}`),
  (error: { code?: string; message: string }) => console.log(error.code, error.message),
);
setInterval(() => {}, 60_000);
