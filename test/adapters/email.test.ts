/**
 * Email end to end: a real Cabildo server (file store) sends through nodemailer to a real SMTP
 * server on loopback, and the tests read what that server accepted; the unsubscribe link is
 * followed through the real HTTP server.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { startServer, type RunningServer } from '../../adapters/server/index.js';
import { readServerSettings } from '../../adapters/server/settings.js';
import { createEngine, openFileStore, type Logger, type Store } from '../../src/index.js';
import { ROOT, TestClock } from '../helpers/conversation.js';
import { sample } from '../helpers/sample.js';
import { startFakeSmtp, type FakeSmtp } from '../helpers/smtp.js';
import { freshDatabase, pgSkipReason } from '../helpers/postgres.js';
import { openPostgresStore } from '../../src/store/open-postgres.js';

const SECRET = 'email-test-secret-0123456789';
const NOW = new Date('2027-03-15T12:00:00-03:00');
const FROM = 'Consulta Renca <consulta@municipio.cl>';

interface Cabildo extends RunningServer {
  store: Store;
  logs: string[];
}

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.close().catch(() => {});
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function capture(lines: string[]): Logger {
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) => lines.push(JSON.stringify({ level, ...fields, msg }));
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A Cabildo server with email on, on a known port so CABILDO_PUBLIC_URL can point at it. */
async function cabildo(smtp: FakeSmtp, db: string | (() => Promise<Store>), options: { port?: number; clock?: TestClock } = {}): Promise<Cabildo & { port: number }> {
  const port = options.port ?? (await freePort());
  const settings = readServerSettings({ PORT: String(port), HOST: '127.0.0.1', SMTP_URL: smtp.url, MAIL_FROM: FROM, CABILDO_PUBLIC_URL: `http://127.0.0.1:${port}/` });
  // Quick ticks and short retries, so the test sees a retry in milliseconds.
  settings.email = { ...settings.email!, intervalMs: 40, retryBaseMs: 80, retryMaxMs: 300 };
  const store = typeof db === 'string' ? await openFileStore(db, { secret: SECRET }) : await db();
  const engine = await createEngine({ contentDir: ROOT, store, clock: (options.clock ?? new TestClock()).now });
  const logs: string[] = [];
  const server = await startServer({ engine, store, logger: capture(logs) }, settings);
  const handle = { ...server, store, logs, port };
  running.push(handle);
  return handle;
}

async function until<T>(what: string, get: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dbFile = () => join(mkdtempSync(join(tmpdir(), 'cabildo-email-')), 'db.json');
const unsubscribeLink = (mail: ParsedMail) => /http:\/\/127\.0\.0\.1:\d+\/correo\/baja\/\S+/.exec(mail.text ?? '')?.[0];

describe('email for the people who gave one', () => {
  it('emails the staff\'s answer to a proposer who consented, escaped, with an unsubscribe that works; nobody else gets one', { timeout: 60_000 }, async () => {
    const smtp = await startFakeSmtp();
    running.push({ close: smtp.stop });
    const server = await cabildo(smtp, dbFile());
    const { store } = server;

    const ana = await store.submit({ ...sample(1, 'ana'), title: 'Baños <limpios> en la plaza', consent: true, contact: { name: 'Ana <b>Pérez</b>', email: 'ana@correo.cl' } }, NOW, 2027);
    const beto = await store.submit({ ...sample(2, 'beto'), consent: false, contact: { email: 'beto@correo.cl' } }, NOW, 2027);
    const carla = await store.submit({ ...sample(3, 'carla'), consent: true, contact: { name: 'Carla' } }, NOW, 2027);
    await store.setStatus(beto.id, { status: 'seleccionada', answer: 'Gracias', actor: 'staff:x' }, NOW);
    await store.setStatus(carla.id, { status: 'seleccionada', answer: 'Gracias', actor: 'staff:x' }, NOW);
    const answer = 'La incluimos en el borrador: <script>alert(1)</script> & "gracias"';
    await store.setStatus(ana.id, { status: 'seleccionada', answer, actor: 'staff:x' }, NOW);

    const mail = await until('the email to Ana', () => smtp.to('ana@correo.cl')[0]);
    await pause(200);
    // Only Ana consented and left an address.
    expect(smtp.received).toHaveLength(1);
    expect([...smtp.attempts.keys()]).toEqual(['ana@correo.cl']);

    expect(mail.from?.value).toEqual([{ name: 'Consulta Renca', address: 'consulta@municipio.cl' }]);
    expect(mail.subject).toBe(`Tu propuesta ${ana.id}: seleccionada`);
    expect(mail.text).toContain(`Hola, Ana <b>Pérez</b>:`);
    expect(mail.text).toContain(`Tu propuesta ${ana.id} («Baños <limpios> en la plaza») tiene novedades: ahora está seleccionada.`);
    expect(mail.text).toContain(`> ${answer}`);
    const html = String(mail.html);
    expect(html).toContain('La incluimos en el borrador: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;gracias&quot;');
    expect(html).toContain('Hola, Ana &lt;b&gt;Pérez&lt;/b&gt;:');
    expect(html).toContain('Baños &lt;limpios&gt; en la plaza');
    expect(html).not.toMatch(/<script|<b>|<img|<limpios/i);
    expect(html).toContain(`href="http://127.0.0.1:${server.port}/resultados/${ana.id}"`);

    // The unsubscribe link is in the text, the HTML and the one-click headers (RFC 8058).
    const link = unsubscribeLink(mail)!;
    expect(link).toBeDefined();
    expect(html).toContain(`href="${link}"`);
    const header = (key: string) => mail.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n[ \t]+/g, ' ');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')?.replace(/\s+/g, '')).toBe(`List-Unsubscribe:<${link}>`);
    expect(link).not.toContain('ana');

    // GET shows a confirmation page and unsubscribes nobody (mail scanners open links).
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"><button type="submit">Sí, no quiero recibir más correos</button></form>');
    await store.setStatus(ana.id, { status: 'en_revision', actor: 'staff:x' }, NOW);
    await until('the second email to Ana', () => smtp.to('ana@correo.cl').length === 2);

    // A forged or altered token is refused.
    const forged = link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await fetch(forged, { method: 'POST' })).status).toBe(404);

    // One-click POST, as a mail client sends it: no more email to Ana.
    const done = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('No te enviaremos más correos');
    await store.setStatus(ana.id, { status: 'no_seleccionada', answer: 'Otra respuesta', actor: 'staff:x' }, NOW);
    const dora = await store.submit({ ...sample(4, 'dora'), consent: true, contact: { email: 'dora@correo.cl' } }, NOW, 2027);
    await store.setStatus(dora.id, { status: 'en_revision', actor: 'staff:x' }, NOW);
    await until('the email to Dora, queued after Ana\'s', () => smtp.to('dora@correo.cl')[0]);
    await pause(200);
    expect(smtp.to('ana@correo.cl')).toHaveLength(2);
    expect(smtp.attempts.get('ana@correo.cl')).toBe(2);
  });

  it('retries a temporary refusal and a refused connection until delivered; a permanent refusal is tried once and logged without the address', { timeout: 60_000 }, async () => {
    const smtp = await startFakeSmtp();
    running.push({ close: smtp.stop });
    smtp.refuse = (address, attempt) => (address === 'carla@correo.cl' && attempt <= 2 ? 451 : address === 'dora@correo.cl' ? 550 : undefined);
    const server = await cabildo(smtp, dbFile());
    const { store } = server;

    const dora = await store.submit({ ...sample(1, 'dora'), consent: true, contact: { email: 'dora@correo.cl' } }, NOW, 2027);
    const carla = await store.submit({ ...sample(2, 'carla'), consent: true, contact: { email: 'carla@correo.cl' } }, NOW, 2027);
    await store.setStatus(dora.id, { status: 'no_seleccionada', answer: 'No cumple los criterios', actor: 'staff:x' }, NOW);
    await store.setStatus(carla.id, { status: 'seleccionada', answer: 'Bienvenida al borrador', actor: 'staff:x' }, NOW);

    const mail = await until('Carla\'s email after two refusals', () => smtp.to('carla@correo.cl')[0]);
    expect(mail.text).toContain('> Bienvenida al borrador');
    expect(smtp.attempts.get('carla@correo.cl')).toBe(3);
    // Well past every retry delay: Dora's 550 was tried once, and Carla got one email.
    await pause(800);
    expect(smtp.attempts.get('dora@correo.cl')).toBe(1);
    expect(smtp.to('dora@correo.cl')).toEqual([]);
    expect(smtp.to('carla@correo.cl')).toHaveLength(1);

    // The SMTP server goes away: the connection is refused, then it is back and the email goes.
    await smtp.stop();
    const eli = await store.submit({ ...sample(3, 'eli'), consent: true, contact: { email: 'eli@correo.cl' } }, NOW, 2027);
    await store.setStatus(eli.id, { status: 'en_revision', actor: 'staff:x' }, NOW);
    await until('a failed connection', () => server.logs.some((l) => l.includes('will retry') && !l.includes('"responseCode"')));
    await smtp.restart();
    await until('Eli\'s email once the server is back', () => smtp.to('eli@correo.cl')[0]);

    const logs = server.logs.join('\n');
    expect(logs).toContain('"responseCode":550');
    expect(logs).toContain('not retried');
    expect(logs).toContain('"responseCode":451');
    for (const secret of ['dora@', 'carla@', 'eli@', 'No cumple', 'Bienvenida']) expect(logs).not.toContain(secret);
  });

  it('sends what was queued while the server was down, and nothing twice after a restart', { timeout: 60_000 }, async () => {
    const smtp = await startFakeSmtp();
    running.push({ close: smtp.stop });
    const file = dbFile();
    const first = await cabildo(smtp, file);
    const ana = await first.store.submit({ ...sample(1, 'ana'), consent: true, contact: { email: 'ana@correo.cl' } }, NOW, 2027);
    await first.store.setStatus(ana.id, { status: 'en_revision', actor: 'staff:x' }, NOW);
    await until('the first email', () => smtp.to('ana@correo.cl')[0]);
    await first.close();

    // Staff answer from the command line while the server is stopped.
    const offline = await openFileStore(file, { secret: SECRET });
    await offline.setStatus(ana.id, { status: 'seleccionada', answer: 'Respuesta escrita sin servidor', actor: 'staff:cli' }, NOW);
    await offline.close();

    await cabildo(smtp, file);
    const second = await until('the email queued while down', () => smtp.to('ana@correo.cl')[1]);
    expect(second.text).toContain('> Respuesta escrita sin servidor');
    await pause(300);
    expect(smtp.to('ana@correo.cl')).toHaveLength(2);
    expect(smtp.attempts.get('ana@correo.cl')).toBe(2);
  });

  it.skipIf(pgSkipReason !== undefined)('on PostgreSQL, two instances sharing the outbox send each email once', { timeout: 90_000 }, async () => {
    const smtp = await startFakeSmtp();
    running.push({ close: smtp.stop });
    const db = await freshDatabase();
    running.push({ close: db.drop });
    const open = () => openPostgresStore(db.url, { secret: SECRET, poolSize: 3 });
    const [one, two] = [await cabildo(smtp, open), await cabildo(smtp, open)];
    const people = Array.from({ length: 12 }, (_, i) => `p${i}@correo.cl`);
    for (const [i, email] of people.entries()) {
      const p = await (i % 2 ? one : two).store.submit({ ...sample(i, `p${i}`), consent: true, contact: { email } }, NOW, 2027);
      await (i % 2 ? two : one).store.setStatus(p.id, { status: 'en_revision', actor: 'staff:x' }, NOW);
    }
    await until('every email', () => people.every((a) => smtp.to(a).length > 0), 30_000);
    await pause(400);
    expect(people.map((a) => smtp.to(a).length)).toEqual(people.map(() => 1));
    // Both instances sent some: the outbox is shared, not owned by one.
    const sent = (c: Cabildo) => c.logs.filter((l) => l.includes('"outcome":"sent"')).length;
    expect(sent(one) + sent(two)).toBe(12);
  });

  it('confirms a work-table sign-up by email and reminds the day before; a sign-up with a phone gets none', { timeout: 60_000 }, async () => {
    const smtp = await startFakeSmtp();
    running.push({ close: smtp.stop });
    const clock = new TestClock('2027-12-02T12:00:00-03:00');
    const { store } = await cabildo(smtp, dbFile(), { clock });
    const { signUp } = await store.signUp({ tableId: 'M1', userKey: 'ana', channel: 'webchat', name: 'Ana', email: 'ana@correo.cl' }, 30, clock.now());
    await store.signUp({ tableId: 'M1', userKey: 'beto', channel: 'whatsapp', name: 'Beto', phone: '+56911112222' }, 30, clock.now());

    const confirmation = await until('the confirmation', () => smtp.to('ana@correo.cl')[0]);
    expect(confirmation.subject).toBe('Inscripción confirmada: mesa M1 · Transparencia y datos abiertos');
    expect(confirmation.text).toContain(`Tu código es ${signUp.code}.`);
    expect(confirmation.text).toContain('7 de diciembre de 2027, 18:00 h');
    expect(confirmation.text).toContain(`«cancelar inscripción ${signUp.code}»`);

    // The day before the table, the sender's calendar check leaves the reminder and emails it.
    clock.set('2027-12-06T09:00:00-03:00');
    const reminder = await until('the reminder', () => smtp.to('ana@correo.cl')[1]);
    expect(reminder.subject).toBe('Recuerda: mañana es la mesa M1 · Transparencia y datos abiertos');
    expect(reminder.text).toContain('Lugar: Biblioteca de Santiago');
    await pause(200);
    expect(smtp.received).toHaveLength(2);
  });
});
