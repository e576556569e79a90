import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../adapters/server/index.js';
import { readServerSettings } from '../../adapters/server/settings.js';
import { createEngine } from '../../src/index.js';
import { silentLogger } from '../../src/logger.js';
import { openFileStore, sessionsFileFor } from '../../src/store/open.js';
import { ROOT, TestClock } from '../helpers/conversation.js';
import { sample } from '../helpers/sample.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'cabildo-files-'));
const NOW = new Date('2027-03-15T12:00:00Z');

const mounts: string[] = [];
afterEach(() => {
  for (const dir of mounts.splice(0)) spawnSync('umount', [dir]);
});

/** A tmpfs of our own (a full disk, a read-only folder); undefined where mounting is not permitted. */
function mountTmpfs(options: string): string | undefined {
  const dir = tempDir();
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  if (result.status !== 0) {
    console.log(`skipped: mounting a tmpfs is not permitted here (${result.error?.message ?? result.stderr.toString().trim()})`);
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

const proposal = { ...sample(1), id: 'GA-2027-000001', createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), status: 'recibida', history: [] };

describe('store files', () => {
  it.each(['null', 'false', '0', '""', '[]', '{}', '{"v":1}', '{"v":2,"proposals":[],"counters":{},"notices":[],"audit":[]}'])(
    'refuses %s as a store and leaves it untouched',
    async (content) => {
      const file = join(tempDir(), 'db.json');
      writeFileSync(file, content);
      await expect(openFileStore(file)).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringMatching(/left untouched/) });
      expect(readFileSync(file, 'utf8')).toBe(content);
    },
  );

  it.each([
    ['a proposal without a title', { ...proposal, title: undefined }, /proposals\.0\.title/],
    ['an unknown status', { ...proposal, status: 'aprobada' }, /proposals\.0\.status/],
    ['a malformed tracking number', { ...proposal, id: 'GA-27-1' }, /proposals\.0\.id/],
    ['a date that is not a date', { ...proposal, createdAt: 'ayer' }, /proposals\.0\.createdAt/],
  ])('refuses a store with %s, naming the field', async (_, record, field) => {
    const file = join(tempDir(), 'db.json');
    writeFileSync(file, JSON.stringify({ v: 1, proposals: [record], counters: { 2027: 1 }, notices: [], audit: [] }));
    await expect(openFileStore(file)).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringMatching(field) });
  });

  it('refuses a store where one tracking number appears twice', async () => {
    const file = join(tempDir(), 'db.json');
    writeFileSync(file, JSON.stringify({ v: 1, proposals: [proposal, proposal], counters: { 2027: 1 }, notices: [], audit: [] }));
    await expect(openFileStore(file)).rejects.toMatchObject({ message: expect.stringMatching(/GA-2027-000001 appears twice/) });
  });

  it('refuses a bad dialog state, and keeps one from another version for the engine to drop', async () => {
    const file = join(tempDir(), 'db.json');
    writeFileSync(sessionsFileFor(file), JSON.stringify({ v: 1, sessions: { a: { v: 1, form: 'proposal', step: 'title' } } }));
    await expect(openFileStore(file)).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringMatching(/sessions/) });
    writeFileSync(sessionsFileFor(file), JSON.stringify({ v: 1, sessions: { a: { v: 0, form: 'proposal', old: true } } }));
    const store = await openFileStore(file);
    expect((await store.session('a'))).toMatchObject({ v: 0 });
    await store.close();
  });

  it('keeps a store written by this version, with fields a newer one added', async () => {
    const file = join(tempDir(), 'db.json');
    writeFileSync(file, JSON.stringify({ v: 1, proposals: [{ ...proposal, extra: 'kept' }], counters: { 2027: 1 }, notices: [], audit: [] }));
    const store = await openFileStore(file);
    await store.submit(sample(2), NOW, 2027);
    await store.close();
    expect(JSON.parse(readFileSync(file, 'utf8')).proposals[0].extra).toBe('kept');
  });

  it('removes a temporary file a cut-short write left behind', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.db.json.tmp'), '{"v":1,"propo');
    const store = await openFileStore(join(dir, 'db.json'));
    expect(existsSync(join(dir, '.db.json.tmp'))).toBe(false);
    await store.close();
  });

  it('explains a read-only store folder instead of a stack trace', async (context) => {
    const dir = mountTmpfs('ro,size=1m');
    if (!dir) return context.skip();
    await expect(openFileStore(join(dir, 'data', 'db.json'))).rejects.toMatchObject({
      code: 'STORE_NOT_WRITABLE',
      message: expect.stringMatching(/store folder .* is not writable \(EROFS\).*CABILDO_DB/),
    });
  });

  it('on a full disk: the write fails, /healthz says so with the error, and recovers once space is back', async (context) => {
    const dir = mountTmpfs('size=256k');
    if (!dir) return context.skip();
    const store = await openFileStore(join(dir, 'db.json'));
    const engine = await createEngine({ contentDir: ROOT, store, clock: new TestClock().now });
    const server = await startServer({ engine, store, logger: silentLogger }, readServerSettings({ PORT: '0', HOST: '127.0.0.1' }));
    try {
      const health = async () => {
        const res = await fetch(`${server.url}/healthz`);
        return { status: res.status, body: (await res.json()) as { store: { ok: boolean; lastWriteError?: { message: string } } } };
      };
      expect((await health()).status).toBe(200);
      await store.submit(sample(1), NOW, 2027);

      mkdirSync(join(dir, 'fill'));
      // Fill the disk, leaving less than one store file's worth.
      for (let i = 0; ; i++) {
        try {
          writeFileSync(join(dir, 'fill', String(i)), Buffer.alloc(4096));
        } catch {
          break;
        }
      }
      const before = readFileSync(join(dir, 'db.json'), 'utf8');
      await expect(store.submit({ ...sample(2), problem: 'x'.repeat(20_000) }, NOW, 2027)).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
      const down = await health();
      expect(down.status).toBe(503);
      expect(down.body.store.ok).toBe(false);
      expect(down.body.store.lastWriteError?.message).toMatch(/ENOSPC/);
      // The last good file is intact and no partial temporary file is left.
      expect(readFileSync(join(dir, 'db.json'), 'utf8')).toBe(before);
      expect(existsSync(join(dir, '.db.json.tmp'))).toBe(false);

      rmSync(join(dir, 'fill'), { recursive: true });
      await store.submit(sample(3), NOW, 2027);
      const up = await health();
      expect(up.status).toBe(200);
      expect(up.body.store).toEqual({ ok: true });
    } finally {
      await server.close();
    }
  });
});
