/** `npm start` as an operator runs it: one process, JSON logs without message text, clean exit on SIGTERM. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProcess as start } from '../helpers/process.js';

describe('npm start', () => {
  it('serves, logs no message text, and exits 0 on SIGTERM', { timeout: 60_000 }, async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'cabildo-start-')), 'db.json');
    const server = start({ PORT: '0', CABILDO_DB: db });
    const url = await server.listening();
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
