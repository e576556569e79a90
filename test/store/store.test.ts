import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileStore, sessionsFileFor } from '../../src/store/open.js';
import type { Proposal } from '../../src/types.js';
import { ROOT } from '../helpers/conversation.js';
import { sample } from '../helpers/sample.js';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'cabildo-store-')), 'db.json');

const onDisk = (file: string): { proposals: Proposal[] } => JSON.parse(readFileSync(file, 'utf8'));

describe('file store', () => {
  it('gives 200 concurrent submissions 200 distinct, sequential tracking numbers, all on disk', async () => {
    const file = tempFile();
    const store = await openFileStore(file);
    const now = new Date('2027-03-15T12:00:00Z');
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => store.submit(sample(i), now, 2027)));
    const ids = results.map((p) => p.id);
    expect(new Set(ids).size).toBe(200);
    expect(ids.sort()[0]).toBe('GA-2027-000001');
    expect(ids.sort()[199]).toBe('GA-2027-000200');
    // Acknowledged means written: the file already holds every one, before close.
    expect(onDisk(file).proposals.map((p) => p.id).sort()).toEqual(ids.sort());
    await store.close();
  });

  it('keeps every acknowledged proposal when the process is killed with SIGKILL mid-stream', async () => {
    const file = tempFile();
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'test/store/submit-forever.ts'), file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const acknowledged: string[] = [];
    await new Promise<void>((done) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        acknowledged.push(...lines.filter(Boolean));
        if (acknowledged.length >= 60 && !child.killed) {
          child.kill('SIGKILL');
          done();
        }
      });
    });
    await new Promise((r) => child.once('exit', r));
    const stored = new Set(onDisk(file).proposals.map((p) => p.id));
    for (const id of acknowledged) expect(stored.has(id), id).toBe(true);

    // The dead process's lock does not keep the next one out.
    const reopened = await openFileStore(file);
    expect((await reopened.list()).length).toBeGreaterThanOrEqual(acknowledged.length);
    await reopened.close();
  });

  it('refuses a second opener of the same file with a clear message', async () => {
    const file = tempFile();
    const first = await openFileStore(file);
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `import('${resolve(ROOT, 'src/store/open.ts')}').then(m => m.openFileStore(${JSON.stringify(file)})).then(() => console.log('opened'), e => console.log(e.code, e.message))`], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => child.once('exit', r));
    expect(out).toMatch(/STORE_LOCKED/);
    expect(out).toMatch(/in use by another Cabildo process/);
    await first.close();
  });

  it('restarts after SIGKILL as PID 1 of a fresh PID namespace, as in a container', async (context) => {
    const probe = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', '--kill-child', 'true']);
    if (probe.status !== 0) {
      console.log(`skipped: unshare is not permitted here (${probe.error?.message ?? probe.stderr.toString().trim()})`);
      context.skip();
    }
    const file = tempFile();
    const holder = () => {
      const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', '--kill-child', process.execPath, '--import', 'tsx', resolve(ROOT, 'test/store/hold-store.ts'), file], { cwd: ROOT });
      const firstLine = new Promise<string>((done) => child.stdout.once('data', (d: Buffer) => done(d.toString().trim())));
      return { child, firstLine };
    };
    const started: ReturnType<typeof holder>[] = [];
    const start = () => started[started.push(holder()) - 1]!;
    const killAll = () =>
      Promise.all(started.splice(0).map(({ child }) => new Promise((r) => (child.exitCode === null ? (child.once('exit', r), child.kill('SIGKILL')) : r(null)))));
    try {
      expect(await start().firstLine).toBe('opened as pid 1');
      // While it lives, a second server on the same store is still refused.
      expect(await start().firstLine).toMatch(/^STORE_LOCKED .*in use by another Cabildo process/);
      await killAll();
      expect(await start().firstLine).toBe('opened as pid 1');
    } finally {
      await killAll();
    }
  });

  it('refuses a second open of the same file in one process, and reopens after close', async () => {
    const file = tempFile();
    const store = await openFileStore(file);
    await expect(openFileStore(file)).rejects.toMatchObject({ code: 'STORE_LOCKED', message: expect.stringMatching(/already open in this process/) });
    await store.close();
    const again = await openFileStore(file);
    await again.close();
  });

  it('refuses a corrupt file and leaves it untouched', async () => {
    const file = tempFile();
    writeFileSync(file, '{"v":1,"proposals":[{"id":"GA-2027-000001"');
    const before = readFileSync(file, 'utf8');
    await expect(openFileStore(file)).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringMatching(/left untouched/) });
    expect(readFileSync(file, 'utf8')).toBe(before);
    writeFileSync(file, '{"hello":"world"}');
    await expect(openFileStore(file)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(readFileSync(file, 'utf8')).toBe('{"hello":"world"}');
  });

  it('stores channel user ids only as a keyed hash, with the key kept beside the store', async () => {
    const file = tempFile();
    const store = await openFileStore(file);
    const key = store.userKey('whatsapp', '+56912345678');
    await store.submit(sample(1, key), new Date('2027-03-15T12:00:00Z'));
    await store.setSession(key, { v: 1, form: 'deletion', updatedAt: new Date().toISOString() });
    await store.close();
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain('56912345678');
    expect(raw).toContain(key);
    const sessions = readFileSync(sessionsFileFor(file), "utf8");
    expect(sessions).toContain(key);
    expect(sessions).not.toContain("56912345678");
    expect(existsSync(`${file}.secret`)).toBe(true);
    expect(statSync(`${file}.secret`).mode & 0o077).toBe(0);
    const again = await openFileStore(file);
    expect(again.userKey('whatsapp', '+56912345678')).toBe(key);
    await again.close();
    const other = await openFileStore(file, { secret: 'another-secret-value' });
    expect(other.userKey('whatsapp', '+56912345678')).not.toBe(key);
    await other.close();
  });
});

describe('a JSON store written before comments had numbers', () => {
  it('numbers its comments oldest first when opened, so staff can moderate them, and the next comment follows', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cabildo-old-comments-')), 'db.json');
    const at = (minute: number) => new Date(Date.UTC(2028, 3, 10, 12, minute)).toISOString();
    writeFileSync(file, JSON.stringify({
      v: 1, proposals: [], counters: {}, notices: [], audit: [],
      opinions: [
        { commitmentId: 'C3', userKey: 'beto', vote: 'agree', comment: 'Segundo', at: at(2) },
        { commitmentId: 'C3', userKey: 'ana', vote: 'agree', comment: 'Primero', at: at(1) },
        { commitmentId: 'C3', userKey: 'carla', vote: 'pass', at: at(3) },
      ],
    }));
    const store = await openFileStore(file);
    try {
      expect((await store.opinions('C3')).map((o) => [o.userKey, o.commentNo])).toEqual([['carla', undefined], ['ana', 1], ['beto', 2]]);
      expect(await store.setCommentHidden({ commitmentId: 'C3', commentNo: 2 }, 'Spam', 'staff:x', new Date())).toBe('changed');
      await store.comment('carla', 'webchat', 'C3', 'Tercero', new Date());
      expect((await store.opinionsOf('carla'))[0]?.commentNo).toBe(3);
    } finally {
      await store.close();
    }
  });
});
