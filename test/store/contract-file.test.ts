import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/port.js';
import { storeContract } from './contract.js';

const files = new WeakMap<Store, string>();
const SECRET = 'contract-secret-0123456789';

storeContract('JSON file (lowdb)', {
  async open() {
    const file = join(mkdtempSync(join(tmpdir(), 'cabildo-contract-')), 'db.json');
    const store = await openFileStore(file, { secret: SECRET });
    files.set(store, file);
    return store;
  },
  async reopen(store) {
    const file = files.get(store)!;
    await store.close();
    const again = await openFileStore(file, { secret: SECRET });
    files.set(again, file);
    return again;
  },
});
