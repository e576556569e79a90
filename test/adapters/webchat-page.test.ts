/**
 * The demo page names who runs the consultation, from data/consultation.yaml, escaped.
 * (In a browser, with a logo and a screenshot: test/e2e/webchat.test.ts.)
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPage } from '../../adapters/webchat/page.js';
import { loadContent } from '../../src/content/load.js';
import { consultationSchema } from '../../src/content/schema.js';
import { ROOT } from '../helpers/conversation.js';
import { testServer, type TestServer } from '../helpers/server.js';

const TEMPLATE = '<title>{{title}}</title><h1>{{organizer}}</h1>{{logo}}<p>{{consultation}}</p><footer>{{footer}}</footer>{{unknown}}';

describe('the demo page', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('ships with the neutral organiser of the shipped consultation, every slot filled, and no logo', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<title>Cabildo · Mesa de Gobierno Abierto</title>');
    expect(html).toMatch(/<h1>Cabildo · Mesa de Gobierno Abierto<\/h1>/);
    expect(html).toMatch(/<footer><p>Organiza: Mesa de Gobierno Abierto\./);
    expect(html).not.toMatch(/\{\{\w+\}\}/);
    expect(html).not.toContain('Política de privacidad');
    expect(html).not.toContain('class="logo"');
    expect((await fetch(`${server.url}/index.html`)).status).toBe(200);
    expect((await fetch(`${server.url}/organizador/logo`)).status).toBe(404);
    // One main landmark: nothing inside <main> claims to be another.
    expect(html.match(/<main\b|role="main"/g)).toHaveLength(1);
  });

  it('escapes whatever the consultation file says', () => {
    const html = renderPage(TEMPLATE, {
      name: 'Muni <script>alert(1)</script> & "Co"',
      consultation: 'Consulta <b>2028</b>',
      hasLogo: true,
      privacyUrl: 'https://m.example/p?a=1&b="x"',
      contact: '<img src=x onerror=alert(1)>',
    });
    expect(html).not.toMatch(/<script>|<b>|<img src=x/);
    expect(html).toContain('<title>Cabildo · Muni &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;</title>');
    expect(html).toContain('href="https://m.example/p?a=1&amp;b=&quot;x&quot;"');
    expect(html).toContain('Contacto: &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<img class="logo" src="/organizador/logo" alt=""');
    // An unknown slot is left alone, not emptied.
    expect(html).toContain('{{unknown}}');
  });

  it('links a contact people can follow: an email, a phone, a web address', () => {
    const footer = (contact: string) => renderPage('{{footer}}', { name: 'M', consultation: 'C', hasLogo: false, contact });
    expect(footer('participa@muni.cl')).toContain('<a href="mailto:participa@muni.cl">participa@muni.cl</a>');
    expect(footer('+56 2 2345 6789')).toContain('<a href="tel:+56223456789">+56 2 2345 6789</a>');
    expect(footer('https://muni.cl/contacto')).toContain('<a href="https://muni.cl/contacto" rel="noopener">https://muni.cl/contacto</a>');
    expect(footer('Oficina de Partes, Av. Central 123')).toContain('Contacto: Oficina de Partes, Av. Central 123');
  });

  it('takes only web addresses as the privacy policy, and an image file in data/ as the logo', () => {
    const base = { name: 'C', territory: 'T', organizer: 'O', stages: [{ id: 'reception', name: 'R', description: 'D', start: '2027-01-01', end: '2027-02-01' }] };
    expect(consultationSchema.safeParse({ ...base, privacy_url: 'https://muni.cl/privacidad', logo: 'escudo.png', contact: 'a@b.cl' }).success).toBe(true);
    expect(consultationSchema.safeParse({ ...base, privacy_url: 'javascript:alert(1)' }).success).toBe(false);
    expect(consultationSchema.safeParse({ ...base, logo: '../../etc/passwd' }).success).toBe(false);
    expect(consultationSchema.safeParse({ ...base, logo: 'escudo.exe' }).success).toBe(false);
  });

  it('check names a logo file that is not in data/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cabildo-logo-'));
    cpSync(join(ROOT, 'intents'), join(dir, 'intents'), { recursive: true });
    cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true, filter: (src) => !/\/(db|\.db)[^/]*$|whatsapp-session/.test(src) });
    const file = join(dir, 'data', 'consultation.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^organizer: .*$/m, '$&\nlogo: escudo.png'));
    expect(() => loadContent(dir)).toThrow(/consultation\.yaml.*logo.*escudo\.png/s);
    writeFileSync(join(dir, 'data', 'escudo.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    expect(loadContent(dir).logoFile).toBe(join(dir, 'data', 'escudo.png'));
  });
});
