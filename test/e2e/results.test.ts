/**
 * The results pages in a real browser (Debian's Chromium): axe-core, injected into each page,
 * must find no serious or critical accessibility violation; the list works on a phone screen
 * and with the keyboard alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/conversation.js';
import { sample } from '../helpers/sample.js';
import { testServer, type TestServer } from '../helpers/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CABILDO_REQUIRE_BROWSER === '1') throw new Error(`CABILDO_REQUIRE_BROWSER=1 but no browser at ${CHROMIUM}: install Debian's chromium.`);
if (!available) process.stdout.write(`Skipping the results browser test: no Chromium at ${CHROMIUM} (apt-get install chromium).\n`);

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  nodes: unknown[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => ((await (window as unknown as { axe: { run: () => Promise<{ violations: Violation[] }> } }).axe.run()).violations));
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
}

describe.skipIf(!available)('results pages in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let id: string;

  beforeAll(async () => {
    server = await testServer();
    const now = new Date('2027-03-15T12:00:00Z');
    for (let i = 0; i < 22; i++) await server.store.submit(sample(i, `k${i}`), now, 2027);
    id = (await server.store.submit({ ...sample(99, 'ana'), title: 'Presupuesto comunal en lenguaje claro' }, now, 2027)).id;
    await server.store.setStatus(id, { status: 'en_revision', answer: 'La revisaremos en la mesa de marzo.', actor: 'staff:x' }, now);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('has no serious or critical axe violations on the list, a filtered list, a proposal and the 404 page', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    for (const path of ['/resultados', '/resultados?estado=en_revision&q=presupuesto', `/resultados/${id}`, '/resultados/GA-2027-999999', '/datos', '/resultados/borrador']) {
      await page.goto(`${server.url}${path}`);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await page.goto(`${server.url}/resultados`);
    // The README shows this screen (what a phone shows first).
    await page.screenshot({ path: join(ROOT, 'docs', 'resultados-phone.png') });
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });

  it('filters with the keyboard alone and follows a result to its page', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(`${server.url}/resultados`);
    await page.getByLabel('Texto o número').focus();
    await page.keyboard.type('presupuesto comunal');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=presupuesto/);
    expect(await page.locator('main').innerText()).toMatch(/Propuestas \(1\)/);
    await page.getByRole('link', { name: 'Presupuesto comunal en lenguaje claro' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(id));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Presupuesto comunal en lenguaje claro');
    expect(await page.locator('main').innerText()).toMatch(/La revisaremos en la mesa de marzo\./);
    await page.close();
  });
});
