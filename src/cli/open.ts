/** Building the engine and store the way every command does. */
import { createEngine, type Engine } from '../engine.js';
import { openStoreAt } from '../store/open.js';
import type { Store } from '../store/port.js';
import type { Logger } from '../logger.js';
import { createLogger, readSettings, type Settings } from './config.js';

export async function openStore(settings: Settings = readSettings()): Promise<Store> {
  return openStoreAt(
    settings.databaseUrl ? { kind: 'postgres', url: settings.databaseUrl, poolSize: settings.dbPoolSize } : { kind: 'file', file: settings.dbFile },
    settings.secret,
  );
}

/** The store and the engine on it, as every front end builds them; `logLevel` is the default when CABILDO_LOG_LEVEL is unset. */
export async function openEngine(logLevel = 'warn'): Promise<{ engine: Engine; store: Store; settings: Settings; logger: Logger }> {
  const settings = readSettings();
  const store = await openStore(settings);
  const logger = createLogger(settings, logLevel);
  try {
    const engine = await createEngine({ contentDir: settings.contentDir, store, clock: settings.clock, logger, ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}), ...(settings.modelCache ? { modelCache: settings.modelCache } : {}) });
    return { engine, store, settings, logger };
  } catch (error) {
    await store.close();
    throw error;
  }
}
