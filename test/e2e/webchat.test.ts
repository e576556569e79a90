/**
 * The demo page in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download). Without Chromium the test is skipped with a reason, unless CABILDO_REQUIRE_BROWSER=1
 * (set by CI), which makes a missing browser a failure.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../adapters/server/index.js';
import { readServerSettings } from '../../adapters/server/settings.js';
import { createEngine, openFileStore } from '../../src/index.js';
import { silentLogger } from '../../src/logger.js';
import { PROPOSAL_ANSWERS, ROOT, TestClock } from '../helpers/conversation.js';
import { testServer, type TestServer } from '../helpers/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CABILDO_REQUIRE_BROWSER === '1') {
  throw new Error(`CABILDO_REQUIRE_BROWSER=1 but no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium).`);
}
if (!available) process.stdout.write(`Skipping the browser test: no Chromium at ${CHROMIUM} (apt-get install chromium).\n`);

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations in a page or a frame, as "rule (nodes)". */
async function seriousViolations(target: Page | Frame): Promise<string[]> {
  await target.addScriptTag({ content: AXE });
  const violations = await target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }).axe;
    return (await axe.run(document, { iframes: false })).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes})`);
}

/** A server whose consultation names its organiser, logo, privacy policy and contact (a copy of the shipped content). */
async function organiserServer(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cabildo-organiser-'));
  cpSync(join(ROOT, 'intents'), join(dir, 'intents'), { recursive: true });
  cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true, filter: (src) => !/^(db|\.db)|whatsapp-session/.test(basename(src)) });
  const file = join(dir, 'data', 'consultation.yaml');
  const yaml = readFileSync(file, 'utf8').replace(
    /^organizer: .*$/m,
    ['organizer: Municipalidad de Ejemplo', 'logo: escudo.svg', 'privacy_url: https://municipio.example/privacidad', 'contact: participacion@municipio.example'].join('\n'),
  );
  writeFileSync(file, yaml);
  writeFileSync(
    join(dir, 'data', 'escudo.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40"><path d="M4 4h32v18c0 8-8 13-16 15C12 35 4 30 4 22z" fill="#c8102e"/><path d="M12 12h16v4H12zm0 8h16v4H12z" fill="#fff"/></svg>',
  );
  const store = await openFileStore(join(dir, 'db.json'));
  const engine = await createEngine({ contentDir: dir, store, clock: new TestClock().now });
  const server = await startServer({ engine, store, logger: silentLogger }, readServerSettings({ PORT: '0', HOST: '127.0.0.1' }));
  return { ...server, engine, store, dbFile: join(dir, 'db.json') };
}

/** Boxes overlap when they share any area. */
function overlap(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Visible controls smaller than 44 × 44 px, as "name (w×h)". */
async function smallTargets(controls: Locator): Promise<string[]> {
  // Measured in one pass inside the page: Web Chat re-renders its buttons while replies arrive,
  // and a control counted first and measured later may be gone by then.
  return controls.evaluateAll((elements) =>
    elements.flatMap((e) => {
      const box = e.getBoundingClientRect();
      const style = getComputedStyle(e);
      if (!box.width || !box.height || style.visibility === 'hidden' || style.display === 'none') return [];
      return box.width < 44 || box.height < 44 ? [`${e.getAttribute('aria-label') ?? (e as HTMLElement).innerText} (${Math.round(box.width)}×${Math.round(box.height)})`] : [];
    }),
  );
}

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

  /** A municipality's page on another origin (localhost against the chat's 127.0.0.1) with the one-line embed. */
  async function hostPage(): Promise<{ url: string; close: () => void }> {
    const host = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="es"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Municipalidad de Ejemplo</title></head><body><main><h1>Municipalidad de Ejemplo</h1><p>Trámites y noticias.</p></main><script src="${server.url}/embed.js" defer></script></body></html>`);
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    return { url: `http://localhost:${(host.address() as AddressInfo).port}/`, close: () => host.close() };
  }

  /** The embed's frame, once its chat has greeted. */
  async function chatFrame(page: Page): Promise<Frame> {
    await page.frameLocator('iframe[title="Chat de Cabildo"]').getByText('¿En qué te ayudo?').first().waitFor({ timeout: 20_000 });
    return page.frames().find((f) => f.url().includes('embed=1'))!;
  }

  it('names who runs it (title, header and logo, footer with the privacy policy and contact), uses a desktop\'s width and says "tú"', { timeout: 60_000 }, async () => {
    const organised = await organiserServer();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(organised.url);
      expect(await page.title()).toBe('Cabildo · Municipalidad de Ejemplo');
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Cabildo · Municipalidad de Ejemplo');
      await expect.poll(() => page.locator('header img.logo').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
      const footer = page.getByRole('contentinfo');
      expect(await footer.innerText()).toMatch(/Organiza: Municipalidad de Ejemplo/);
      expect(await footer.getByRole('link', { name: 'Política de privacidad' }).getAttribute('href')).toBe('https://municipio.example/privacidad');
      expect(await footer.getByRole('link', { name: 'participacion@municipio.example' }).getAttribute('href')).toBe('mailto:participacion@municipio.example');
      await page.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 20_000 });
      // Web Chat's Spanish said "Escriba su mensaje" (usted); Cabildo says "tú".
      const box = page.getByRole('textbox', { name: 'Escribe tu mensaje' });
      expect(await box.getAttribute('placeholder')).toBe('Escribe tu mensaje');
      expect(await page.content()).not.toMatch(/Escriba su mensaje/);
      // The width: a wide chat and, beside it, what this consultation is; not a 760 px column.
      const chat = (await page.locator('#webchat').boundingBox())!;
      const about = (await page.getByRole('region', { name: /Consulta para el Plan de Acción/ }).boundingBox())!;
      expect(chat.width).toBeGreaterThan(760);
      expect(chat.width + about.width).toBeGreaterThan(1280 * 0.85);
      await page.getByRole('button', { name: 'Privacidad' }).click();
      await page.locator('#webchat li', { hasText: 'seudónimo' }).first().waitFor({ timeout: 15_000 });
      await page.waitForTimeout(800); // let Web Chat finish scrolling to the newest message
      await page.screenshot({ path: join(ROOT, 'docs', 'webchat.png') });
    } finally {
      await page.close();
      await organised.close();
    }
  });

  it('puts what follows a list in its own paragraph, never inside the last bullet', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(server.url);
    await page.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Privacidad' }).click();
    await page.locator('#webchat li', { hasText: 'seudónimo' }).first().waitFor({ timeout: 15_000 });
    await send(page, '¿Qué es la OGP?', /creada en 2011/);
    await page.getByRole('button', { name: 'Planes de Chile' }).last().click();
    await expect.poll(async () => /19 compromisos/.test(await page.locator('body').innerText()), { timeout: 15_000 }).toBe(true);
    // Every bullet holds one line: the paragraph after the plans list is not glued to the 5th plan.
    const items = await page.locator('#webchat li').allInnerTexts();
    expect(items.length).toBeGreaterThan(6);
    expect(items.filter((item) => item.trim().includes('\n'))).toEqual([]);
    // And each list is followed by a paragraph of its own.
    const after = await page.locator('#webchat ul').evaluateAll((lists) => lists.map((ul) => ul.nextElementSibling?.tagName ?? 'END'));
    expect(after.filter((tag) => tag !== 'P' && tag !== 'END')).toEqual([]);
    await page.close();
  });

  it('shows what a person typed as text: an <img> tag is the characters typed, not a broken image', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(server.url);
    await page.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 20_000 });
    await send(page, '<img src=x> y **negrita**', /<img src=x> y \*\*negrita\*\*/);
    // The server's echo replaces Web Chat's local copy of the message: check after it arrived.
    await page.waitForTimeout(2000);
    expect(await page.locator('#webchat').innerText()).toContain('<img src=x> y **negrita**');
    expect(await page.locator('#webchat img[src="x"]').count()).toBe(0);
    expect(await page.locator('#webchat strong', { hasText: 'negrita' }).count()).toBe(0);
    await page.close();
  });

  it('the page: one main landmark, no serious or critical axe violation, 44 px targets, replies announced once, usable with the keyboard alone', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(server.url);
    await page.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 20_000 });
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await expect.poll(() => smallTargets(page.locator('button')), { timeout: 5_000 }).toEqual([]);
    // Keyboard only: Tab reaches the send box, Enter sends.
    for (let i = 0; i < 30 && !(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Escribe tu mensaje')); i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Escribe tu mensaje');
    await page.keyboard.type('¿Qué es la OGP?');
    await page.keyboard.press('Enter');
    await expect.poll(async () => /creada en 2011/.test(await page.locator('#webchat').innerText()), { timeout: 15_000 }).toBe(true);
    // Screen readers hear the reply once: Web Chat's live region, and no other.
    const announced = () =>
      page.evaluate(() => [...document.querySelectorAll('[aria-live]:not([aria-live="off"])')].filter((e) => (e.textContent ?? '').includes('creada en 2011')).length);
    await expect.poll(announced, { timeout: 10_000 }).toBe(1);
    await page.waitForTimeout(1000);
    expect(await announced()).toBeLessThanOrEqual(1);
    expect(await seriousViolations(page)).toEqual([]);
    await expect.poll(() => smallTargets(page.locator('button')), { timeout: 5_000 }).toEqual([]);
    await page.close();
  });

  it('the embed with the keyboard alone: focus moves into the chat and back, Escape closes it; no serious axe violation', { timeout: 60_000 }, async () => {
    const host = await hostPage();
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      await page.goto(host.url);
      const launcher = page.locator('.cabildo-launcher');
      await launcher.waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      expect(await smallTargets(launcher)).toEqual([]);
      await page.keyboard.press('Tab');
      expect(await launcher.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('Enter');
      const frame = await chatFrame(page);
      const inSendBox = async () =>
        (await page.evaluate(() => document.activeElement?.tagName)) === 'IFRAME' && (await frame.evaluate(() => document.activeElement?.getAttribute('aria-label'))) === 'Escribe tu mensaje';
      await expect.poll(inSendBox, { timeout: 10_000 }).toBe(true);
      await page.keyboard.type('¿Qué es la OGP?');
      await page.keyboard.press('Enter');
      await expect.poll(async () => /creada en 2011/.test(await frame.locator('body').innerText()), { timeout: 15_000 }).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await seriousViolations(frame)).toEqual([]);
      // Escape inside the chat closes it, and the focus is back on the launcher.
      await page.keyboard.press('Escape');
      await expect.poll(() => launcher.getAttribute('aria-expanded')).toBe('false');
      expect(await page.locator('iframe[title="Chat de Cabildo"]').isVisible()).toBe(false);
      expect(await launcher.evaluate((el) => el === document.activeElement)).toBe(true);
      // Open again: the focus goes back into the send box, with the conversation still there.
      await page.keyboard.press('Enter');
      await expect.poll(inSendBox, { timeout: 10_000 }).toBe(true);
      expect(await frame.locator('body').innerText()).toMatch(/creada en 2011/);
      // Closing with the launcher ("Cerrar chat") also returns the focus to it.
      await launcher.click();
      expect(await launcher.getAttribute('aria-expanded')).toBe('false');
      expect(await launcher.evaluate((el) => el === document.activeElement)).toBe(true);
    } finally {
      await page.close();
      host.close();
    }
  });

  it('on a 360 px phone the embed\'s "Cerrar chat" covers none of the chat\'s buttons', { timeout: 60_000 }, async () => {
    const host = await hostPage();
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    try {
      await page.goto(host.url);
      await page.getByRole('button', { name: 'Chat de participación' }).click();
      await chatFrame(page);
      const chat = page.frameLocator('iframe[title="Chat de Cabildo"]');
      const close = (await page.getByRole('button', { name: 'Cerrar chat' }).boundingBox())!;
      for (const name of ['Privacidad', 'Cerrar sesión']) {
        const button = (await chat.getByRole('button', { name }).boundingBox())!;
        expect(overlap(close, button), name).toBe(false);
        expect(button.x + button.width, name).toBeLessThanOrEqual(360);
      }
      expect(close.height).toBeGreaterThanOrEqual(44);
      // A tap on "Privacidad" reaches it.
      await chat.getByRole('button', { name: 'Privacidad' }).tap();
      await chat.locator('li', { hasText: 'seudónimo' }).first().waitFor({ timeout: 15_000 });
      await page.screenshot({ path: join(ROOT, 'screenshots', 'embed-phone.png') });
    } finally {
      await page.close();
      host.close();
    }
  });

  it('after "Cerrar sesión" the chat remembers nothing: no transcript, no proposal in progress, nothing in storage', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(server.url);
    await page.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 20_000 });
    await send(page, 'quiero enviar una propuesta', /\(1\/8\)/);
    await send(page, PROPOSAL_ANSWERS[0]!, /\(2\/8\)/);
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.getByText('¿En qué te ayudo?').first().waitFor({ timeout: 20_000 });
    const transcript = await page.locator('#webchat').innerText();
    expect(transcript).not.toContain(PROPOSAL_ANSWERS[0]);
    expect(transcript).not.toMatch(/\(\d\/8\)/);
    expect(await page.evaluate(() => ({ local: Object.keys(localStorage), session: Object.keys(sessionStorage) }))).toEqual({ local: ['cabildo-credential'], session: [] });
    await send(page, 'mis datos', /No tengo ningún dato tuyo guardado/);
    expect(await page.locator('#webchat').innerText()).not.toContain(PROPOSAL_ANSWERS[0]);
    await page.close();
  });
});
