/** Building the engine and store the way every command does. */
import { createEngine, type Engine } from '../engine.js';
import { openFileStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { createLogger, readSettings, type Settings } from './config.js';

export async function openStore(settings: Settings = readSettings()): Promise<Store> {
  return openFileStore(settings.dbFile, settings.secret ? { secret: settings.secret } : {});
}

export async function openEngine(): Promise<{ engine: Engine; store: Store; settings: Settings }> {
  const settings = readSettings();
  const store = await openStore(settings);
  try {
    const engine = await createEngine({ contentDir: settings.contentDir, store, clock: settings.clock, logger: createLogger() });
    return { engine, store, settings };
  } catch (error) {
    await store.close();
    throw error;
  }
}
