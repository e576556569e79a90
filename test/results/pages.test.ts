/** The public results pages over HTTP: what anyone can read, and what never appears there. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../helpers/sample.js';
import { testServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const NOW = new Date('2027-03-15T12:00:00Z');
const SECRETS = ['+56 9 1111 2222', 'juana.soto@correo.cl', '12.345.678-5', 'María José', 'ana@correo.cl', 'Ana Contacto'];
let personal: string;
let withdrawn: string;
let answered: string;

beforeAll(async () => {
  server = await testServer();
  const s = server.store;
  for (let i = 0; i < 24; i++) await s.submit({ ...sample(i, `k${i}`), territory: i % 2 ? 'Renca' : 'Peñalolén', pillars: i % 3 ? ['transparency'] : ['participation'] }, NOW, 2027);
  personal = (await s.submit({
    ...sample(100, 'juana'),
    title: 'Luminarias: llamar a Juana al +56 9 1111 2222',
    problem: 'Escríbanme a juana.soto@correo.cl, mi RUT es 12.345.678-5',
    consent: true,
    contact: { name: 'Ana Contacto', email: 'ana@correo.cl' },
  }, NOW, 2027)).id;
  answered = (await s.submit({ ...sample(101, 'beto'), title: '<script>alert(1)</script> Plazas <b>limpias</b>' }, NOW, 2027)).id;
  await s.setStatus(answered, { status: 'seleccionada', answer: 'Estimada María José: entra al plan.', actor: 'staff:x' }, new Date('2027-04-01T12:00:00Z'));
  withdrawn = (await s.submit({ ...sample(102, 'carla'), title: 'Propuesta que se retiró' }, NOW, 2027)).id;
  await s.eraseUser('carla', 'withdraw', NOW);
});
afterAll(async () => {
  await server.close();
});

const get = async (path: string) => {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
};

describe('public results', () => {
  it('lists the published proposals newest first, with counts by status, in pages of 20', async () => {
    const first = await get('/resultados');
    expect(first.status).toBe(200);
    expect(first.type).toMatch(/text\/html/);
    expect(first.body).toMatch(/<html lang="es">/);
    expect(first.body).toMatch(/26 propuestas publicadas/);
    expect(first.body).toMatch(/seleccionada: <strong>1<\/strong>/);
    expect(first.body).toMatch(/Página 1 de 2/);
    expect(first.body.indexOf(answered)).toBeLessThan(first.body.indexOf('GA-2027-000024'));
    const second = await get('/resultados?pagina=2');
    expect(second.body).toMatch(/Página 2 de 2/);
    expect(second.body).toContain('GA-2027-000001');
    // A withdrawn proposal is not listed, and its page does not exist.
    expect(first.body + second.body).not.toContain(withdrawn);
    expect((await get(`/resultados/${withdrawn}`)).status).toBe(404);
  });

  it('filters by status, territory, pillar and text, and ignores nonsense in the query', async () => {
    expect((await get('/resultados?estado=seleccionada')).body).toMatch(/Propuestas \(1\)/);
    expect((await get('/resultados?territorio=penalolen')).body).toMatch(/Propuestas \(12\)/);
    expect((await get('/resultados?pilar=participation')).body).toMatch(/Propuestas \(8\)/);
    expect((await get('/resultados?q=plazas')).body).toMatch(/Propuestas \(1\)/);
    // The search reads masked text: typing a phone number finds nothing.
    expect((await get('/resultados?q=1111')).body).toMatch(/No hay propuestas con esos filtros/);
    const odd = await get('/resultados?estado=%3Cx%3E&pagina=-3&pilar[]=1');
    expect(odd.status).toBe(200);
    expect(odd.body).toMatch(/Página 1 de 2/);
  });

  it('shows a proposal\'s public view: fields, history with the staff answer, all masked and escaped', async () => {
    const page = await get(`/resultados/${answered.toLowerCase()}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Plazas &lt;b&gt;limpias&lt;/b&gt;');
    expect(page.body).not.toMatch(/<script>alert/);
    expect(page.body).toMatch(/Estado: <strong>seleccionada<\/strong>/);
    expect(page.body).toMatch(/Estimada \[nombre\]: entra al plan\./);
    expect(page.body).toMatch(/1 de abril de 2027<\/td><td>seleccionada/);
    const unknown = await get('/resultados/GA-2027-999999');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatch(/No encontramos esa propuesta/);
    expect((await get('/resultados/%3Cscript%3E')).status).toBe(404);
  });

  it('never shows personal data, contact details, channels or user keys', async () => {
    const pages = [await get('/resultados'), await get('/resultados?pagina=2'), await get(`/resultados/${personal}`), await get(`/resultados/${answered}`)];
    const all = pages.map((p) => p.body).join('\n');
    for (const secret of SECRETS) expect(all).not.toContain(secret);
    expect(all).toContain('[teléfono]');
    expect(all).not.toMatch(/userKey|"test"|juana/i);
  });
});

describe('open data', () => {
  it('explains what is published, under which licence, field by field', async () => {
    const page = await get('/datos');
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/licencia <strong>CC BY 4\.0<\/strong>/);
    expect(page.body).toMatch(/<code>pillars<\/code><\/th><td>lista separada por «;»/);
    expect(page.body).toMatch(/href="\/datos\/propuestas\.csv"/);
  });

  it('serves the proposals as CSV and JSON without anything personal, with ETag and a 304 when unchanged', async () => {
    const csv = await fetch(`${server.url}/datos/propuestas.csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const body = await csv.text();
    expect(body.split('\n')[0]).toBe('id,createdAt,updatedAt,status,title,problem,description,actors,components,institution,pillars,territory,answer');
    expect(body).not.toContain(withdrawn);
    for (const secret of SECRETS) expect(body).not.toContain(secret);
    const etag = csv.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect(csv.headers.get('last-modified')).toBe(new Date('2027-04-01T12:00:00Z').toUTCString());
    expect((await fetch(`${server.url}/datos/propuestas.csv`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const json = (await (await fetch(`${server.url}/datos/propuestas.json`)).json()) as { licence: string; generated_at: string; fields: { name: string }[]; records: Record<string, string>[] };
    expect(json.licence).toBe('CC BY 4.0');
    expect(json.generated_at).toBe('2027-04-01T12:00:00.000Z');
    expect(json.fields.map((f) => f.name)).toEqual(Object.keys(json.records[0]!));
    expect(json.records).toHaveLength(26);
    expect(JSON.stringify(json)).not.toMatch(/channel|userKey|contact/);

    // A change gives a new version.
    await server.store.setStatus(answered, { status: 'seleccionada', answer: 'Confirmado.', actor: 'staff:x' }, new Date('2027-04-02T12:00:00Z'));
    const changed = await fetch(`${server.url}/datos/propuestas.csv`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect((await fetch(`${server.url}/datos/propuestas.xml`)).status).toBe(404);
  });
});

describe('cached files', () => {
  it('sends a file compressed to a client that accepts gzip, the same bytes plain to one that does not, and rebuilds it after a change', async () => {
    const { request } = await import('node:http');
    const { gunzipSync } = await import('node:zlib');
    const raw = (encoding: string) =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        request(`${server.url}/datos/propuestas.csv`, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject).end();
      });
    const zipped = await raw('gzip, deflate');
    const plain = await raw('identity');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.headers.etag).toBe(plain.headers.etag);
    const added = await server.store.submit({ ...sample(200, 'nuevo'), title: 'Recién llegada al archivo' }, NOW, 2027);
    const after = await raw('identity');
    expect(after.body.toString()).toContain(added.id);
    expect(after.headers.etag).not.toBe(plain.headers.etag);
    await server.store.eraseUser('nuevo', 'withdraw', NOW);
  });
});

describe('the draft consultation in public', () => {
  it('ranks commitments by times chosen most important, with shares and masked comments, paged; and serves them as open data', async () => {
    const at = new Date('2028-04-10T15:00:00Z');
    for (let i = 0; i < 12; i++) {
      await server.store.vote(`p${i}`, 'C3', i < 9 ? 'agree' : 'disagree', at);
      await server.store.comment(`p${i}`, 'webchat', 'C3', i === 11 ? 'Llamen a doña Rosa al +56 9 1111 2222 <b>ya</b>' : `Comentario número ${i}`, new Date(at.getTime() + i * 1000));
      await server.store.setPriority(`p${i}`, i < 7 ? 'C3' : 'C1', at);
    }
    const page = await get('/resultados/borrador');
    expect(page.status).toBe(200);
    expect(page.body.indexOf('1. C3 · Presupuesto municipal')).toBeGreaterThan(-1);
    expect(page.body.indexOf('1. C3')).toBeLessThan(page.body.indexOf('2. C1'));
    expect(page.body).toMatch(/Elegido como el más importante <strong>7<\/strong> veces\. 12 personas opinaron\./);
    expect(page.body).toMatch(/De acuerdo<\/th><td>9<\/td><td>75 %<\/td>/);
    expect(page.body).toContain('«Llamen a doña [nombre] al [teléfono] &lt;b&gt;ya&lt;/b&gt;»');
    expect(page.body).not.toContain('1111');
    expect(page.body).toMatch(/Página 1 de 2/);
    expect((await get('/resultados/borrador?pagina=2')).body).toContain('Comentario número 0');

    await server.store.respondToConsultation('C3', 'Se incorpora; gracias Sra. Rosa Díaz por su aporte.', 'staff:x', at);
    const responded = await get('/resultados/borrador');
    expect(responded.body).toMatch(/Respuesta del equipo a la consulta<\/h3>\n<p>Se incorpora; gracias Sra\. \[nombre\] por su aporte\.<\/p>/);
    const tally = (await (await fetch(`${server.url}/datos/borrador.json`)).json()) as { records: { id: string; agree: number; mostImportant: number }[] };
    expect(tally.records[0]).toMatchObject({ id: 'C3', agree: 9, mostImportant: 7 });
    const comments = await (await fetch(`${server.url}/datos/opiniones.csv`)).text();
    expect(comments.split('\n')[0]).toBe('id,commitment,vote,comment,at');
    expect(comments).toContain('C3:12,C3,disagree,Llamen a doña [nombre] al [teléfono] <b>ya</b>,');
    expect(comments.trim().split('\n')).toHaveLength(13);
    expect(comments).not.toMatch(/1111|p11|userKey/);
  });
});

describe('moderation of comments', () => {
  it('shows "Oculto por moderación: motivo" with the reference in place of a hidden comment, leaves it out of the file, and tells the author in chat', async () => {
    const { TestClock, person } = await import('../helpers/conversation.js');
    const clock = new TestClock();
    const local = await testServer({}, () => {}, clock);
    const store = local.store;
    const ana = person(local.engine);
    const key = store.userKey('test', 'ana');
    await store.vote(key, 'C2', 'agree', clock.now());
    await store.comment(key, 'test', 'C2', 'El vecino del 3B es un ladrón', clock.now());
    await store.setCommentHidden({ commitmentId: 'C2', commentNo: 1 }, 'Acusa a una persona <i>identificable</i>', 'staff:x', clock.now());
    await ana.send('hola');
    expect(ana.text).toContain('El equipo ocultó tu comentario al compromiso **C2** de los resultados públicos. Motivo: Acusa a una persona <i>identificable</i>. Tu voto sigue contando.');

    try {
      const page = await (await fetch(`${local.url}/resultados/borrador`)).text();
      expect(page).toContain('<li id="C2-1"><p>Oculto por moderación: Acusa a una persona &lt;i&gt;identificable&lt;/i&gt;</p><p class="meta">C2:1 ·');
      expect(page).not.toContain('ladrón');
      expect(await (await fetch(`${local.url}/datos/opiniones.csv`)).text()).not.toContain('ladrón');
      await store.setCommentHidden({ commitmentId: 'C2', commentNo: 1 }, undefined, 'staff:x', clock.now());
      expect(await (await fetch(`${local.url}/resultados/borrador`)).text()).toContain('«El vecino del 3B es un ladrón»');
    } finally {
      await local.close();
    }
  });
});

describe('the results intent', () => {
  it('links to the public results and the person\'s own proposals when CABILDO_PUBLIC_URL is set, and explains without a link otherwise', async () => {
    const { createEngine } = await import('../../src/engine.js');
    const { openMemoryStore } = await import('../../src/store/open.js');
    const { ROOT, TestClock, person } = await import('../helpers/conversation.js');
    const store = openMemoryStore('test-secret-0123456789');
    const clock = new TestClock();
    const linked = await createEngine({ contentDir: ROOT, store, clock: clock.now, publicUrl: 'https://consulta.example.cl/' });
    const ana = person(linked);
    const mine = await store.submit({ ...sample(1), userKey: store.userKey('test', 'ana') }, clock.now(), 2027);
    await ana.send('dónde veo los resultados');
    expect(ana.text).toMatch(/Mesa de Gobierno Abierto/);
    expect(ana.text).toContain('[https://consulta.example.cl/resultados](https://consulta.example.cl/resultados)');
    expect(ana.text).toContain(`[${mine.id}](https://consulta.example.cl/resultados/${mine.id})`);
    const plain = person(await createEngine({ contentDir: ROOT, store, clock: clock.now }), 'beto');
    await plain.send('dónde veo los resultados');
    expect(plain.text).toMatch(/Mesa de Gobierno Abierto/);
    expect(plain.text).not.toMatch(/https?:/);
  });
});

describe('moderation', () => {
  it('shows "Oculto por moderación: motivo" in place of a hidden proposal, leaves it out of the files, and tells the author', async () => {
    const target = (await server.store.list()).find((p) => p.title === 'Propuesta 7')!;
    await server.store.setHidden(target.id, 'Incluye datos de un vecino, <b>llamar al +56 9 1111 2222</b>', 'staff:x', new Date('2027-04-03T12:00:00Z'));
    const list = await get('/resultados?pagina=2');
    const all = (await get('/resultados')).body + list.body;
    expect(all).toContain(`Oculto por moderación: Incluye datos de un vecino, &lt;b&gt;llamar al [teléfono]&lt;/b&gt;`);
    expect(all).not.toContain('Propuesta 7<');
    const page = await get(`/resultados/${target.id}`);
    expect(page.body).toMatch(/Oculto por moderación/);
    expect(page.body).not.toContain('Un problema descrito');
    expect((await get('/resultados?q=propuesta%207')).body).not.toContain(target.id);
    expect(await (await fetch(`${server.url}/datos/propuestas.csv`)).text()).not.toContain(target.id);
    const notices = await server.store.takeNotices(target.userKey!);
    expect(notices.at(-1)).toMatchObject({ kind: 'moderation', hidden: true });
    await server.store.setHidden(target.id, undefined, 'staff:x', new Date('2027-04-04T12:00:00Z'));
    expect((await get(`/resultados/${target.id}`)).body).toContain('Propuesta 7');
  });
});
