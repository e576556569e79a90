/**
 * Reply on screen: in headless Chromium (Debian's, driven by playwright-core), the time from
 * pressing Enter in Web Chat's send box to the bot's reply drawn in the transcript, over the
 * real page and a real server on loopback, with the WebSocket stream and with polling (the page's
 * `?transport=polling`), in the same run. Timed inside the page: a keydown listener notes the
 * Enter, a MutationObserver the first new bot bubble, and the next animation frame stands for
 * "on screen".
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startServer } from '../adapters/server/index.js';
import { readServerSettings } from '../adapters/server/settings.js';
import { createEngine, openFileStore } from '../src/index.js';
import { silentLogger } from '../src/logger.js';
import { percentile, QUESTIONS } from './engine.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface OnScreen {
  transport: 'streaming' | 'polling';
  messages: number;
  p50: number;
  p95: number;
}

/** Questions with a one-bubble answer each, sent in turn. */
const SCRIPT = QUESTIONS.filter((q) => !['chao', 'gracias'].includes(q));

declare global {
  interface Window {
    __bench: { pressedAt: number; shownAt: number; seen: number };
  }
}

/** Undefined when there is no Chromium here. */
export async function replyOnScreen(root: string, messages = 50): Promise<OnScreen[] | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const store = await openFileStore(join(mkdtempSync(join(tmpdir(), 'cabildo-bench-screen-')), 'db.json'));
  const engine = await createEngine({ contentDir: root, store, clock: () => new Date('2027-03-15T15:00:00Z') });
  const server = await startServer(
    { engine, store, logger: silentLogger },
    readServerSettings({ PORT: '0', HOST: '127.0.0.1', CABILDO_MESSAGES_PER_CONVERSATION_PER_MINUTE: '100000', CABILDO_TOKENS_PER_IP_PER_MINUTE: '100000' }),
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const results: OnScreen[] = [];
    for (const transport of ['streaming', 'polling'] as const) {
      const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
      await page.goto(transport === 'polling' ? `${server.url}/?transport=polling` : server.url);
      await page.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 30_000 });
      await instrument(page);
      const times: number[] = [];
      for (let i = 0; i < messages; i++) times.push(await oneMessage(page, SCRIPT[i % SCRIPT.length]!));
      times.sort((a, b) => a - b);
      results.push({ transport, messages, p50: percentile(times, 50), p95: percentile(times, 95) });
      await page.close();
    }
    return results;
  } finally {
    await browser.close();
    await server.close();
  }
}

const BOT_BUBBLE = '.webchat__bubble:not(.webchat__bubble--from-user)';

async function instrument(page: Page): Promise<void> {
  await page.evaluate((selector) => {
    const state = { pressedAt: 0, shownAt: 0, seen: document.querySelectorAll(selector).length };
    window.__bench = state;
    window.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') state.pressedAt = performance.now();
    }, true);
    new MutationObserver(() => {
      const count = document.querySelectorAll(selector).length;
      if (count > state.seen) {
        state.seen = count;
        if (!state.shownAt) requestAnimationFrame(() => (state.shownAt = performance.now()));
      }
    }).observe(document.body, { childList: true, subtree: true });
  }, BOT_BUBBLE);
}

/** Milliseconds from Enter to the reply's first frame on screen. */
async function oneMessage(page: Page, text: string): Promise<number> {
  const box = page.getByRole('textbox').last();
  await box.fill(text);
  await page.evaluate(() => {
    window.__bench.pressedAt = 0;
    window.__bench.shownAt = 0;
  });
  await box.press('Enter');
  await page.waitForFunction(() => window.__bench.shownAt > 0, undefined, { timeout: 15_000, polling: 5 });
  const { pressedAt, shownAt } = await page.evaluate(() => ({ pressedAt: window.__bench.pressedAt, shownAt: window.__bench.shownAt }));
  // Let any further bubble of the same turn arrive before the next message.
  await page.waitForTimeout(150);
  return shownAt - pressedAt;
}

// `npx tsx bench/reply-on-screen.ts`: this measurement alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { fileURLToPath } = await import('node:url');
  const results = await replyOnScreen(fileURLToPath(new URL('..', import.meta.url)));
  console.log(results ?? `no Chromium at ${CHROMIUM}`);
}
