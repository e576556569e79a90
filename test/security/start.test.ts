/**
 * Starting as a careless operator would: the shipped `.env.example` copied as the environment,
 * a folder given as the store, production without a key, and logs read at every level.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../src/cli/config.js';
import { ROOT } from '../helpers/conversation.js';
import { startProcess } from '../helpers/process.js';

/** `.env.example` as `node --env-file` reads it: every listed variable, each one empty. */
function envExample(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'cabildo-start-')), 'db.json');

describe('start-up settings', () => {
  it('starts with the shipped .env.example as its environment', { timeout: 60_000 }, async () => {
    const example = envExample();
    expect(Object.keys(example).length).toBeGreaterThan(20);
    // Only where the store goes and the port are set; every other variable is there, empty.
    const server = startProcess({ ...example, CABILDO_DB: tempDb(), PORT: '0', HOST: '127.0.0.1' });
    const url = await server.listening();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.err()).toMatch(/CABILDO_SECRET is not set/);
  });

  it('reads an empty value as not set, and refuses a folder as the store', () => {
    const settings = readSettings({ CABILDO_DB: '', CABILDO_SECRET: '', CABILDO_LOG_LEVEL: '', CABILDO_NOW: '' });
    expect(settings.dbFile).toBe(join(ROOT, 'data', 'db.json'));
    expect(settings.secret).toBeUndefined();
    const folder = mkdtempSync(join(tmpdir(), 'cabildo-folder-'));
    expect(() => readSettings({ CABILDO_DB: folder })).toThrow(/CABILDO_DB must name the store file/);
    expect(() => readSettings({ CABILDO_LOG_LEVEL: 'verbose' })).toThrow(/CABILDO_LOG_LEVEL must be one of/);
  });

  it('requires CABILDO_SECRET in production', () => {
    expect(() => readSettings({ NODE_ENV: 'production' })).toThrow(/CABILDO_SECRET is required when NODE_ENV=production/);
    expect(readSettings({ NODE_ENV: 'production', CABILDO_SECRET: 'x'.repeat(32) }).secret).toBe('x'.repeat(32));
  });

  it('logs route patterns, never conversation ids, tokens or text, even at trace level', { timeout: 60_000 }, async () => {
    const server = startProcess({ PORT: '0', CABILDO_DB: tempDb(), CABILDO_LOG_LEVEL: 'trace' });
    const url = await server.listening();
    const { token, conversationId } = (await (await fetch(`${url}/v3/directline/tokens/generate`, { method: 'POST' })).json()) as { token: string; conversationId: string };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: auth });
    await fetch(`${url}/v3/directline/conversations/${conversationId}/activities`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'message', text: 'hola, soy Rosa' }) });
    await fetch(`${url}/v3/directline/conversations/${conversationId}/activities?watermark=0`, { headers: auth });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const logs = server.err();
    expect(logs).toContain('/v3/directline/conversations/:id/activities');
    expect(logs).not.toContain(conversationId);
    expect(logs).not.toContain(token);
    expect(logs).not.toContain('Rosa');
  });
});
