/**
 * The demo page in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download). Without Chromium the test is skipped with a reason, unless CABILDO_REQUIRE_BROWSER=1
 * (set by CI), which makes a missing browser a failure.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROPOSAL_ANSWERS, ROOT, TestClock } from '../helpers/conversation.js';
import { testServer, type TestServer } from '../helpers/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CABILDO_REQUIRE_BROWSER === '1') {
  throw new Error(`CABILDO_REQUIRE_BROWSER=1 but no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium).`);
}
if (!available) process.stdout.write(`Skipping the browser test: no Chromium at ${CHROMIUM} (apt-get install chromium).\n`);

describe.skipIf(!available)('web chat in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await testServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function send(page: Page, text: string, expected: RegExp): Promise<void> {
    const box = page.getByRole('textbox').last();
    await box.fill(text);
    await box.press('Enter');
    await expect.poll(async () => expected.test(await page.locator('body').innerText()), { timeout: 15_000 }).toBe(true);
  }

  it('answers a question, follows a tapped option, and files a proposal with its tracking number', { timeout: 120_000 }, async () => {
    // A phone-sized screen: the page must work there.
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(server.url);
    await expect(page.getByRole('heading', { name: 'Cabildo' })).toBeDefined();
    await page.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 20_000 });

    await send(page, '¿Qué es la OGP?', /creada en 2011/);
    await page.getByRole('button', { name: 'Planes de Chile' }).last().click();
    await expect.poll(async () => /19 compromisos/.test(await page.locator('body').innerText()), { timeout: 15_000 }).toBe(true);
    await send(page, 'quiero enviar una propuesta', /\(1\/8\)/);
    for (const [i, answer] of PROPOSAL_ANSWERS.entries()) {
      await send(page, answer, i < PROPOSAL_ANSWERS.length - 1 ? new RegExp(`\\(${i + 2}/8\\)`) : /datos de contacto/);
    }
    await page.getByRole('button', { name: 'No', exact: true }).last().click();
    await page.getByText('Revisa tu propuesta').last().waitFor({ timeout: 15_000 });
    mkdirSync(join(ROOT, 'screenshots'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'screenshots', 'webchat-summary.png') });
    await page.getByRole('button', { name: 'Confirmar' }).last().click();
    await page.getByText(/GA-2027-\d{6}/).last().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(800); // let Web Chat finish scrolling to the newest message
    await page.screenshot({ path: join(ROOT, 'screenshots', 'webchat-submitted.png') });
    expect((await server.store.list())[0]!.channel).toBe('webchat');
    await page.close();
  });

  it('shows a citizen\'s markdown link and bare URL as text, never as a link, and "Cerrar sesión" forgets the person', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(server.url);
    await page.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 20_000 });
    // The person this browser is: the random part of the credential the server issued it.
    const credential = (await page.evaluate(() => localStorage.getItem('cabildo-credential')))!;
    const userId = `w_${credential.split('.')[1]}`;
    const title = '[Ver resultados oficiales](https://evil.example/phish) y https://evil.example/x';
    const p = await server.store.submit(
      { title, problem: 'p', description: 'd', actors: 'a', components: 'c', institution: 'i', pillars: ['transparency'], territory: 'Renca', channel: 'webchat', userKey: server.engine.userKey('webchat', userId), consent: false },
      new Date(),
    );
    await send(page, 'mis propuestas', new RegExp(p.id));
    await expect.poll(async () => page.locator('body').innerText(), { timeout: 10_000 }).toContain('[Ver resultados oficiales](https://evil.example/phish)');
    expect(await page.locator('a[href*="evil.example"]').count()).toBe(0);

    // The same browser after a reload is the same person; after "Cerrar sesión", someone new.
    await page.reload();
    await page.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => localStorage.getItem('cabildo-credential'))).toMatch(new RegExp(`^w1\\.${credential.split('.')[1]}\\.`));
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 20_000 });
    const after = (await page.evaluate(() => localStorage.getItem('cabildo-credential')))!;
    expect(after.split('.')[1]).not.toBe(credential.split('.')[1]);
    await send(page, 'mis propuestas', /No tienes propuestas/);
    await page.close();
  });

  it('the one-line embed on another page opens the same chat', { timeout: 60_000 }, async () => {
    // A municipality's page on another origin (localhost against the chat's 127.0.0.1).
    const host = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html><body><h1>Municipalidad de Ejemplo</h1><script src="${server.url}/embed.js" defer></script></body></html>`);
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(`http://localhost:${(host.address() as AddressInfo).port}/`);
    await page.getByRole('button', { name: 'Chat de participación' }).click();
    const chat = page.frameLocator('iframe[title="Chat de Cabildo"]');
    try {
      await chat.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 20_000 });
    } finally {
      await page.screenshot({ path: join(ROOT, 'screenshots', 'embed.png') });
    }
    await page.screenshot({ path: join(ROOT, 'screenshots', 'embed.png') });
    await page.close();
    host.close();
  });

  it('goes through the draft consultation, and finds the opinions again after a reload', { timeout: 120_000 }, async () => {
    const draftServer = await testServer({}, () => {}, new TestClock('2028-04-10T15:00:00Z'));
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    try {
      await page.goto(draftServer.url);
      await page.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 20_000 });
      // What today allows comes first among the options.
      await page.getByRole('button', { name: 'Opinar el borrador' }).first().click();
      await expect.poll(async () => /Compromiso 1 de 8: Justicia abierta/.test(await page.locator('body').innerText()), { timeout: 15_000 }).toBe(true);
      await page.getByRole('button', { name: 'De acuerdo', exact: true }).last().click();
      await send(page, 'Que las guías estén también en mapudungun', /Compromiso 2 de 8/);
      await page.getByRole('button', { name: 'En desacuerdo', exact: true }).last().click();
      await page.getByText('¿Quieres agregar un comentario?').nth(1).waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: 'No', exact: true }).last().click();
      await page.getByText(/Compromiso 3 de 8/).last().waitFor({ timeout: 15_000 });
      await page.reload();
      // Coming back mid-consultation: welcomed back where the person left off.
      await page.getByText(/Sigamos con el borrador/).first().waitFor({ timeout: 20_000 });
      expect(await page.locator('body').innerText()).toMatch(/Compromiso 3 de 8/);
      await send(page, 'mis opiniones', /Tus opiniones sobre el borrador \(2\)/);
      const body = await page.locator('body').innerText();
      expect(body).toMatch(/C1 Justicia abierta: De acuerdo. «Que las guías estén también en mapudungun»/);
      expect(body).toMatch(/C2 Datos abiertos que protegen los datos personales: En desacuerdo/);
      await page.screenshot({ path: join(ROOT, 'screenshots', 'webchat-draft.png') });
    } finally {
      await page.close();
      await draftServer.close();
    }
  });
});
