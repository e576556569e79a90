/** `npm start` in a child process, as an operator runs it, with its output captured. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from './conversation.js';

export function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'adapters/server/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', CABILDO_NOW: '2027-03-15', CABILDO_LOG_LEVEL: 'info', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  /** The URL from the first line (`PORT=0` picks a free port). */
  async function listening(timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!/listening on (http:\/\/\S+)/.test(stdout)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return /listening on (http:\/\/\S+)/.exec(stdout)![1]!;
  }
  return { child, exited, listening, out: () => stdout, err: () => stderr };
}
