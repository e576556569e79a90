/**
 * The HTTP path: a Cabildo server in its own process, 200 Direct Line conversations at once on
 * loopback, each posting a mixed script (questions, then a whole proposal). Measures post-activity
 * plus reply delivery (the poll that returns the bot's answer), per message.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, PROPOSAL, QUESTIONS } from './engine.js';

export interface HttpResult {
  conversations: number;
  messages: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** `database`: a PostgreSQL URL shared by the instances, or a JSON file; without it each server has its own new JSON file. */
export async function startServer(root: string, database?: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'adapters/server/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      CABILDO_DB: database ?? join(mkdtempSync(join(tmpdir(), 'cabildo-bench-http-')), 'db.json'),
      ...(database ? { CABILDO_SECRET: 'bench-secret-0123456789abcdef', CABILDO_DB_POOL: '20' } : {}),
      CABILDO_NOW: '2027-03-15',
      CABILDO_LOG_LEVEL: 'warn',
      CABILDO_TOKENS_PER_IP_PER_MINUTE: '100000',
      CABILDO_MESSAGES_PER_CONVERSATION_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    child.once('exit', () => reject(new Error('server exited')));
  });
  return { url, stop: () => new Promise((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }) };
}

/** Time a person takes to read and type between messages, when `pace` is on: 1 to 3 s. */
const thinkTime = () => 1000 + Math.random() * 2000;

/** `bases`: the instances' Direct Line roots; a conversation's requests go to each in turn, as a load balancer that does not pin users would send them. */
export async function conversation(bases: string | string[], script: string[], times: number[], pace = false): Promise<number> {
  const roots = typeof bases === 'string' ? [bases] : bases;
  let turn = Math.floor(Math.random() * roots.length);
  const next = () => roots[turn++ % roots.length]!;
  let errors = 0;
  const base = next();
  const generated = (await (await fetch(`${base}/tokens/generate`, { method: 'POST' })).json()) as { token: string; conversationId: string };
  const headers = { authorization: `Bearer ${generated.token}`, 'content-type': 'application/json' };
  await fetch(`${base}/conversations`, { method: 'POST', headers });
  const id = generated.conversationId;
  let watermark = (await (await fetch(`${base}/conversations/${id}/activities?watermark=0`, { headers })).json() as { watermark: string }).watermark;
  for (const text of script) {
    if (pace) await new Promise((r) => setTimeout(r, thinkTime()));
    const t = performance.now();
    const posted = await fetch(`${next()}/conversations/${id}/activities`, { method: 'POST', headers, body: JSON.stringify({ type: 'message', from: { id: 'x' }, text }) });
    await posted.arrayBuffer();
    const page = (await (await fetch(`${next()}/conversations/${id}/activities?watermark=${watermark}`, { headers })).json()) as { activities: { from: { role?: string } }[]; watermark: string };
    times.push(performance.now() - t);
    if (!posted.ok || !page.activities.some((a) => a.from.role === 'bot')) errors++;
    watermark = page.watermark;
  }
  return errors;
}

/**
 * `pace`: people read and type (1-3 s between messages), the load 200 open chats really put
 * on a server; without it every conversation fires its next message as soon as the reply
 * arrives, which measures saturation.
 */
export async function httpLatency(root: string, conversations = 200, pace = false, database?: { url: string; instances: number }): Promise<HttpResult> {
  const servers = await Promise.all(Array.from({ length: database?.instances ?? 1 }, () => startServer(root, database?.url)));
  const base = servers.map((s) => `${s.url}/v3/directline`);
  try {
    await conversation(base, QUESTIONS.slice(0, 5), []); // warm-up
    const times: number[] = [];
    const started = performance.now();
    const errors = await Promise.all(
      Array.from({ length: conversations }, (_, i) => conversation(base, [...QUESTIONS.slice(i % 5, (i % 5) + 4), ...PROPOSAL], times, pace)),
    );
    const total = performance.now() - started;
    times.sort((a, b) => a - b);
    return {
      conversations,
      messages: times.length,
      perSecond: (times.length / total) * 1000,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      errors: errors.reduce((a, b) => a + b, 0),
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
