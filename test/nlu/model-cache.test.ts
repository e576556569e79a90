import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine.js';
import { openMemoryStore } from '../../src/store/open.js';
import { readSettings } from '../../src/cli/config.js';
import type { Logger } from '../../src/logger.js';
import { ROOT } from '../helpers/conversation.js';
import { readHeldout } from '../helpers/heldout.js';

const temp = (name: string) => mkdtempSync(join(tmpdir(), `cabildo-${name}-`));

/** An engine on the shipped content (or `contentDir`) keeping its model in `modelCache`, with the warnings it logged. */
async function engineWith(modelCache: string, contentDir = ROOT): Promise<{ engine: Engine; warnings: string[] }> {
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, error() {}, warn: (_fields, message) => void warnings.push(message) };
  return { engine: await createEngine({ contentDir, store: openMemoryStore(), modelCache, logger }), warnings };
}

const models = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.bin'));

/** What the engine makes of every held-out message: intent and confidence. */
const readings = (engine: Engine) => readHeldout(ROOT).map((r) => engine.understand(r.text)).map((m) => `${m.intent} ${m.confidence}`);

describe('the trained model kept between starts', () => {
  it('a restart reads the stored model and understands every message exactly as the trained one; only the stored one is used', { timeout: 60_000 }, async () => {
    const folder = temp('model');
    const first = await engineWith(folder);
    expect(models(folder)).toHaveLength(1);
    const trained = readings(first.engine);

    const restarted = await engineWith(folder);
    expect(readings(restarted.engine)).toEqual(trained);
    expect(restarted.warnings).toEqual([]);

    // Proof that the restart read the file rather than training: weights replaced by zeros (with
    // a valid checksum) make the next start hesitate on everything it has not memorised.
    const file = join(folder, models(folder)[0]!);
    const zeros = Buffer.alloc(readFileSync(file).length - 32);
    writeFileSync(file, Buffer.concat([zeros, createHash('sha256').update(zeros).digest()]));
    const blank = await engineWith(folder);
    expect(blank.engine.understand('como mando una propuesta de compromiso para el plan').intent).toBe('none');
    expect(first.engine.understand('como mando una propuesta de compromiso para el plan').intent).toBe('proposal.start');
  });

  it('a damaged file is refused with a warning: the engine trains, understands as before and writes the model again', { timeout: 60_000 }, async () => {
    const folder = temp('model');
    const first = await engineWith(folder);
    const file = join(folder, models(folder)[0]!);
    const genuine = readFileSync(file);
    const damaged = Buffer.from(genuine);
    damaged[1000] = damaged[1000]! ^ 0xff;
    writeFileSync(file, damaged);

    const next = await engineWith(folder);
    expect(next.warnings.join('\n')).toMatch(/damaged/);
    expect(readings(next.engine)).toEqual(readings(first.engine));
    expect(readFileSync(file).equals(genuine)).toBe(true);

    // Cut short, as a full disk leaves it.
    writeFileSync(file, genuine.subarray(0, 4096));
    const after = await engineWith(folder);
    expect(after.warnings.join('\n')).toMatch(/damaged/);
    expect(after.engine.understand('como mando una propuesta de compromiso para el plan').intent).toBe('proposal.start');
  });

  it('a new training example trains a new model, which replaces the old file', { timeout: 60_000 }, async () => {
    const folder = temp('model');
    await engineWith(folder);
    const [before] = models(folder);

    const content = temp('content');
    cpSync(join(ROOT, 'intents'), join(content, 'intents'), { recursive: true });
    cpSync(join(ROOT, 'data'), join(content, 'data'), { recursive: true, filter: (f) => !f.includes('db.json') && !f.includes('.cache') });
    const thanks = join(content, 'intents', 'thanks.yaml');
    writeFileSync(thanks, readFileSync(thanks, 'utf8').replace('examples:\n', 'examples:\n  - te pasaste, mil gracias por la ayuda\n'));
    const edited = await engineWith(folder, content);

    expect(models(folder)).toHaveLength(1);
    expect(models(folder)[0]).not.toBe(before);
    expect(edited.engine.understand('te pasaste, mil gracias por la ayuda').intent).toBe('thanks');
  });

  it('a folder that cannot be written only costs training at every start, with a warning', { timeout: 60_000 }, async () => {
    const blocker = join(temp('model'), 'a-file');
    writeFileSync(blocker, 'not a folder');
    const { engine, warnings } = await engineWith(join(blocker, 'cache'));
    expect(warnings.join('\n')).toMatch(/Could not write the model cache in .*a-file\/cache.*Each start will train again/);
    expect(engine.understand('como mando una propuesta de compromiso para el plan').intent).toBe('proposal.start');
  });

  it('is kept beside the store unless CABILDO_MODEL_CACHE names another folder or is off', () => {
    expect(readSettings({ CABILDO_DB: '/srv/cabildo/db.json' }).modelCache).toBe('/srv/cabildo/.cache');
    expect(readSettings({ CABILDO_DB: '/srv/cabildo/db.json', CABILDO_MODEL_CACHE: '/var/cache/cabildo' }).modelCache).toBe('/var/cache/cabildo');
    expect(readSettings({ CABILDO_MODEL_CACHE: 'off' }).modelCache).toBeUndefined();
  });
});
