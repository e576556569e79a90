/**
 * `cabildo chat`: the terminal front end. Interactive, with options shown as a numbered list
 * (answer with the number), or `--json` for scripts: one JSON line out per line in.
 */
import { createInterface } from 'node:readline';
import type { Engine } from '../engine.js';
import type { Reply } from '../types.js';
import { openEngine } from './open.js';
import { unescapeMarkdown } from '../text/markdown.js';

export interface ChatOptions {
  json?: boolean;
  user: string;
  channel: string;
}

export async function chat(options: ChatOptions): Promise<void> {
  const { engine, store } = await openEngine();
  try {
    if (options.json) await jsonChat(engine, options);
    else await interactiveChat(engine, options);
  } finally {
    await store.close();
  }
}

async function jsonChat(engine: Engine, options: ChatOptions): Promise<void> {
  // A reader that stops early (`| head`) closes the pipe: stop reading, no stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.stdin.destroy();
  });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const { intent, replies } = await engine.handle({ channel: options.channel, userId: options.user, text: line });
    process.stdout.write(`${JSON.stringify({ in: line, intent, replies: replies.map((r) => ({ text: r.text, options: r.options ?? [] })) })}\n`);
  }
}

async function interactiveChat(engine: Engine, options: ChatOptions): Promise<void> {
  const tty = Boolean(process.stdout.isTTY);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'tú › ' });
  let lastOptions: string[] = [];
  const show = (replies: Reply[]) => {
    for (const reply of replies) {
      process.stdout.write(`\ncabildo › ${renderTerminal(reply.text, tty)}\n`);
      if (reply.options?.length) process.stdout.write(`${reply.options.map((o, i) => `  [${i + 1}] ${o}`).join('\n')}\n`);
    }
    lastOptions = replies.at(-1)?.options ?? [];
    process.stdout.write('\n');
  };
  process.stdout.write('Cabildo — escribe tu mensaje (Ctrl+D para salir).\n');
  show((await engine.handle({ channel: options.channel, userId: options.user, text: 'hola' })).replies);
  rl.prompt();
  for await (const line of rl) {
    // A bare number picks the option with that number, as a tap would.
    const picked = /^\s*(\d{1,2})\s*$/.exec(line);
    const text = picked && lastOptions[Number(picked[1]) - 1] ? lastOptions[Number(picked[1]) - 1]! : line;
    show((await engine.handle({ channel: options.channel, userId: options.user, text })).replies);
    rl.prompt();
  }
  process.stdout.write('\n¡Hasta pronto!\n');
}

/**
 * Our markdown on a terminal: bold as ANSI bold, links as "text (url)", then a person's text as
 * typed. Only unescaped markup is ours; escaped characters came from a person.
 */
export function renderTerminal(text: string, tty: boolean): string {
  return unescapeMarkdown(
    text
      .replace(/(?<!\\)\[([^\]]+)(?<!\\)\]\(([^)]+)\)/g, '$1 ($2)')
      .replace(/(?<!\\)\*\*(.+?)(?<!\\)\*\*/g, tty ? '\u001b[1m$1\u001b[22m' : '$1'),
  );
}
