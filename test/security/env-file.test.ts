/**
 * `cp .env.example .env && npm start` as the README says, and `CABILDO_NOW` read as the
 * consultation's local time (America/Santiago), where its calendar's days are reckoned.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../src/cli/config.js';
import { ROOT } from '../helpers/conversation.js';

describe('CABILDO_NOW', () => {
  it('reads a date-time in the consultation\'s time zone, and an explicit offset as given', () => {
    // Reception opens on 2026-11-16 in Santiago (UTC-3 in November): 00:30 there is 03:30 UTC.
    expect(readSettings({ CABILDO_NOW: '2026-11-16T00:30' }).clock().toISOString()).toBe('2026-11-16T03:30:00.000Z');
    // In July Santiago is UTC-4.
    expect(readSettings({ CABILDO_NOW: '2027-07-01T10:00' }).clock().toISOString()).toBe('2027-07-01T14:00:00.000Z');
    expect(readSettings({ CABILDO_NOW: '2026-11-16T00:30Z' }).clock().toISOString()).toBe('2026-11-16T00:30:00.000Z');
    expect(readSettings({ CABILDO_NOW: '2026-11-16T00:30:00-03:00' }).clock().toISOString()).toBe('2026-11-16T03:30:00.000Z');
    // A date alone is noon that day, there.
    expect(readSettings({ CABILDO_NOW: '2027-03-15' }).clock().toISOString()).toBe('2027-03-15T15:00:00.000Z');
    expect(() => readSettings({ CABILDO_NOW: '15/03/2027' })).toThrow(/CABILDO_NOW must be an ISO date or date-time/);
  });
});

describe('.env', () => {
  it('npm start runs with .env.example copied to .env, and reads it (reception open at 00:30 on its first day)', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cabildo-dotenv-'));
    // The shipped file as it is, with the store put in this folder and the clock set in it.
    const env = readFileSync(join(ROOT, '.env.example'), 'utf8')
      .replace(/^CABILDO_DB=$/m, `CABILDO_DB=${join(dir, 'db.json')}`)
      .replace(/^CABILDO_NOW=$/m, 'CABILDO_NOW=2026-11-16T00:30')
      .replace(/^PORT=$/m, 'PORT=0')
      .replace(/^HOST=$/m, 'HOST=127.0.0.1');
    writeFileSync(join(dir, '.env'), env);
    // `npm start` is `tsx adapters/server/main.ts`, run from the folder holding .env.
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CABILDO_|PORT$|HOST$|SLACK_|WHATSAPP_|MICROSOFT_|BOT_EMULATOR$|NODE_ENV$)/.test(k)));
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [resolve(ROOT, 'adapters/server/main.ts')], { cwd: dir, env: clean });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!/listening on (http:\/\/\S+)/.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no start: ${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const url = /listening on (http:\/\/\S+)/.exec(out)![1]!;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      // The clock from .env, in Santiago's time: the proposal form opens.
      const { token, conversationId } = (await (await fetch(`${url}/v3/directline/tokens/generate`, { method: 'POST' })).json()) as { token: string; conversationId: string };
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: auth });
      await fetch(`${url}/v3/directline/conversations/${conversationId}/activities`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'message', text: 'quiero enviar una propuesta' }) });
      let texts = '';
      for (let i = 0; i < 50 && !/\(1\/8\)|no está abierta|abre el/i.test(texts); i++) {
        await new Promise((r) => setTimeout(r, 100));
        const { activities } = (await (await fetch(`${url}/v3/directline/conversations/${conversationId}/activities?watermark=0`, { headers: auth })).json()) as { activities: { text?: string }[] };
        texts = activities.map((a) => a.text ?? '').join('\n');
      }
      expect(texts).toMatch(/\(1\/8\)/);
    } finally {
      child.kill('SIGTERM');
      expect(await exited, err).toBe(0);
    }
    expect(err).toMatch(/CABILDO_SECRET is not set/);
  });
});
