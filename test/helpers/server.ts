/** A real Cabildo server on a loopback port, with its own temporary store. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../adapters/server/index.js';
import { readServerSettings, type ServerSettings } from '../../adapters/server/settings.js';
import { createEngine, openFileStore, type Engine, type Store } from '../../src/index.js';
import { silentLogger } from '../../src/logger.js';
import { ROOT, TestClock } from './conversation.js';

export interface TestServer extends RunningServer {
  engine: Engine;
  store: Store;
  dbFile: string;
}

export async function testServer(env: Record<string, string> = {}, tweak: (s: ServerSettings) => void = () => {}, clock = new TestClock()): Promise<TestServer> {
  const settings = readServerSettings({ PORT: '0', HOST: '127.0.0.1', ...env });
  tweak(settings);
  const dir = mkdtempSync(join(tmpdir(), 'cabildo-server-'));
  const dbFile = join(dir, 'db.json');
  const store = await openFileStore(dbFile);
  const engine = await createEngine({ contentDir: ROOT, store, clock: clock.now });
  const server = await startServer({ engine, store, logger: silentLogger }, settings);
  return { ...server, engine, store, dbFile };
}
