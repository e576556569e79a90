/** `npm start` as an operator runs it: one process, JSON logs without message text, clean exit on SIGTERM. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/conversation.js';

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'adapters/server/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', CABILDO_NOW: '2027-03-15', CABILDO_LOG_LEVEL: 'info', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('npm start', () => {
  it('serves, logs no message text, and exits 0 on SIGTERM', { timeout: 60_000 }, async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'cabildo-start-')), 'db.json');
    const server = start({ PORT: '0', CABILDO_DB: db });
    // PORT=0 picks a free port; the first line says which.
    const deadline = Date.now() + 30_000;
    while (!/listening on (http:\/\/\S+)/.test(server.out())) {
      if (Date.now() > deadline) throw new Error(`no start: ${server.err()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = /listening on (http:\/\/\S+)/.exec(server.out())![1]!;
    const { token, conversationId } = (await (await fetch(`${url}/v3/directline/tokens/generate`, { method: 'POST' })).json()) as { token: string; conversationId: string };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: auth });
    const secret = 'mi correo es vecina@correo.cl y vivo en Renca';
    await fetch(`${url}/v3/directline/conversations/${conversationId}/activities`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'message', text: secret }) });

    server.child.kill('SIGTERM');
    const started = Date.now();
    expect(await server.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const logs = server.err().trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['listening', 'request', 'turn', 'shutting down']));
    expect(server.err()).not.toContain('vecina');
    expect(server.err()).not.toContain(token);
  });

  it('refuses to start with a malformed setting and names it', { timeout: 60_000 }, async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'cabildo-start-')), 'db.json');
    const server = start({ PORT: 'abc', CABILDO_DB: db });
    expect(await server.exited).toBe(1);
    expect(server.err()).toMatch(/cannot start: PORT: PORT must be a whole number/);
  });
});
