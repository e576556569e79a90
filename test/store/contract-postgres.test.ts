import { afterAll } from 'vitest';
import { openPostgresStore } from '../../src/store/open-postgres.js';
import type { Store } from '../../src/store/port.js';
import { freshDatabase, pgSkipReason } from '../helpers/postgres.js';
import { storeContract } from './contract.js';

const SECRET = 'contract-secret-0123456789';
const databases = new WeakMap<Store, string>();
const drops: (() => Promise<void>)[] = [];
// One database per test: dropping 20-odd of them takes longer than the default hook timeout on a busy machine.
afterAll(async () => {
  for (const drop of drops) await drop();
}, 180_000);

storeContract(
  'PostgreSQL',
  {
    async open() {
      const db = await freshDatabase();
      drops.push(db.drop);
      const store = await openPostgresStore(db.url, { secret: SECRET });
      databases.set(store, db.url);
      return store;
    },
    async sibling(store) {
      const twin = await openPostgresStore(databases.get(store)!, { secret: SECRET });
      databases.set(twin, databases.get(store)!);
      return twin;
    },
    async reopen(store) {
      const url = databases.get(store)!;
      await store.close();
      const again = await openPostgresStore(url, { secret: SECRET });
      databases.set(again, url);
      return again;
    },
  },
  pgSkipReason ? { skip: pgSkipReason } : {},
);
