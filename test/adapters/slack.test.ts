/**
 * Slack, fully local: the Bolt app in HTTP mode receives requests signed with a test signing
 * secret, and its Web API calls go to a fake Slack API on loopback that records them.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROPOSAL_ANSWERS } from '../helpers/conversation.js';
import { testServer, type TestServer } from '../helpers/server.js';

const SECRET = 'slack-test-signing-secret';
const STAFF = 'USTAFF';

interface Call {
  method: string;
  body: Record<string, unknown>;
}
const calls: Call[] = [];
let api: Server;
let apiUrl: string;
let server: TestServer;
let eventCounter = 0;

function parseBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (type?.includes('json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      out[k] = k === 'blocks' || k === 'attachments' ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

function reply(method: string, body: Record<string, unknown>): object {
  switch (method) {
    case 'auth.test':
      return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'cabildo' };
    case 'chat.postMessage':
      return { ok: true, channel: body.channel, ts: `${1700000000 + calls.length}.000100` };
    case 'usergroups.users.list':
      return { ok: true, users: [STAFF] };
    case 'files.getUploadURLExternal':
      return { ok: true, upload_url: `${apiUrl}/upload/F1`, file_id: 'F1' };
    case 'files.completeUploadExternal':
      return { ok: true, files: [{ id: 'F1' }] };
    default:
      return { ok: true };
  }
}

const sign = (body: string, ts = Math.floor(Date.now() / 1000)) => ({
  'x-slack-request-timestamp': String(ts),
  'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`,
});

async function postEvent(payload: object, headers: Record<string, string> = {}, signed = true): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${server.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signed ? sign(body) : {}), ...headers }, body });
}

async function postForm(fields: Record<string, string>): Promise<Response> {
  const body = new URLSearchParams(fields).toString();
  return fetch(`${server.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body) }, body });
}

const eventEnvelope = (event: object, id = `Ev${++eventCounter}`) => ({ type: 'event_callback', token: 'x', team_id: 'T1', api_app_id: 'A1', event_id: id, event_time: 1700000000, event });
const dm = (user: string, text: string, ts = `${1700000000 + ++eventCounter}.000200`) => ({ type: 'message', channel: 'D1', channel_type: 'im', user, text, ts });

async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const posts = () => calls.filter((c) => c.method === 'chat.postMessage');
const responses = () => calls.filter((c) => c.method === 'response_url');
const textOf = (c: Call) => String(c.body.text ?? '');

/** Sends a DM and waits for the bot's answer in its thread. */
async function ask(user: string, text: string): Promise<Call> {
  const event = dm(user, text);
  const before = posts().length;
  expect((await postEvent(eventEnvelope(event))).status).toBe(200);
  return until(() => posts().slice(before).find((c) => c.body.thread_ts === event.ts), `reply to "${text}"`);
}

async function slash(user: string, text: string): Promise<Call> {
  const before = responses().length;
  const res = await postForm({ command: '/cabildo', text, user_id: user, user_name: user, channel_id: 'CSTAFF', team_id: 'T1', response_url: `${apiUrl}/respond`, trigger_id: 't', token: 'x', api_app_id: 'A1' });
  expect(res.status).toBe(200);
  return until(() => responses()[before], `response to /cabildo ${text}`);
}

async function click(user: string, actionId: string, value: string, message: { ts: string; thread_ts?: string } = { ts: '1700000000.000001' }): Promise<Response> {
  const payload = {
    type: 'block_actions', team: { id: 'T1' }, user: { id: user }, api_app_id: 'A1', token: 'x', trigger_id: 't',
    channel: { id: 'D1' }, message: { type: 'message', ...message, text: '' }, response_url: `${apiUrl}/respond`,
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, text: { type: 'plain_text', text: value }, action_ts: '1' }],
  };
  return postForm({ payload: JSON.stringify(payload) });
}

beforeAll(async () => {
  api = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      const method = path.startsWith('/respond') ? 'response_url' : path.startsWith('/upload') ? 'upload' : path.replace(/^\/(api\/)?/, '');
      const body = method === 'upload' ? { content: raw } : parseBody(raw, req.headers['content-type']);
      calls.push({ method, body });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(method === 'upload' || method === 'response_url' ? { ok: true } : reply(method, body)));
    });
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  server = await testServer({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: `${apiUrl}/api/`, CABILDO_STAFF: 'SSTAFF', CABILDO_STAFF_CHANNEL: 'CSTAFF' });
});
afterAll(async () => {
  await server.close();
  api.close();
});

describe('Slack channel', () => {
  it('answers url_verification', async () => {
    const res = await postEvent({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('abc123');
  });

  it('answers a direct message in its thread, in mrkdwn, with options as buttons', async () => {
    const answer = await ask('UCITIZEN', '¿qué es la **OGP**?');
    expect(textOf(answer)).toMatch(/\*Alianza para el Gobierno Abierto\*/);
    expect(textOf(answer)).toMatch(/<https:\/\/www\.opengovpartnership\.org\/\|opengovpartnership\.org>/);
    const blocks = answer.body.blocks as { type: string; elements?: { value: string }[] }[];
    expect(blocks.at(-1)!.type).toBe('actions');
    expect(blocks.at(-1)!.elements!.map((e) => e.value)).toContain('OGP Local');
  });

  it('answers a mention without the mention, in its thread', async () => {
    const event = { type: 'app_mention', channel: 'C1', user: 'UCITIZEN', text: '<@UBOT> cuáles son los pilares', ts: '1700000999.000300' };
    const before = posts().length;
    await postEvent(eventEnvelope(event));
    const reply = await until(() => posts().slice(before).find((c) => c.body.thread_ts === event.ts), 'mention reply');
    expect(reply.body.channel).toBe('C1');
    expect(textOf(reply)).toMatch(/pilares/);
  });

  it('takes a button click as the option text', async () => {
    const before = posts().length;
    expect((await click('UCITIZEN', 'cabildo_option_1', 'OGP Local', { ts: '1700000001.000001', thread_ts: '1700000000.000555' })).status).toBe(200);
    const reply = await until(() => posts()[before], 'option reply');
    expect(reply.body.thread_ts).toBe('1700000000.000555');
    expect(textOf(reply)).toMatch(/Peñalolén|OGP Local|municip/i);
  });

  it('ignores bot messages, edits and deletions, and answers a retried event once', async () => {
    const before = posts().length;
    await postEvent(eventEnvelope({ ...dm('UBOT', 'hola'), bot_id: 'BBOT', subtype: 'bot_message' }));
    await postEvent(eventEnvelope({ type: 'message', subtype: 'message_changed', channel: 'D1', channel_type: 'im', ts: '1.1', message: { text: 'hola' } }));
    await postEvent(eventEnvelope({ type: 'message', subtype: 'message_deleted', channel: 'D1', channel_type: 'im', ts: '1.2' }));
    const envelope = eventEnvelope(dm('UCITIZEN', 'gracias'), 'EvRetried');
    await postEvent(envelope);
    await postEvent(envelope, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    await until(() => (posts().length > before ? true : undefined), 'the reply to the retried event');
    await new Promise((r) => setTimeout(r, 400));
    expect(posts().length - before).toBe(1);
  });

  it('rejects unsigned, badly signed and stale requests with 401, reaching nothing', async () => {
    const before = calls.length;
    const body = JSON.stringify(eventEnvelope(dm('UCITIZEN', 'hola')));
    const unsigned = await fetch(`${server.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const bad = await fetch(`${server.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-slack-signature': 'v0=deadbeef' }, body });
    const stale = await fetch(`${server.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...sign(body, Math.floor(Date.now() / 1000) - 600) }, body });
    expect([unsigned.status, bad.status, stale.status]).toEqual([401, 401, 401]);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls.slice(before).filter((c) => c.method !== 'auth.test')).toEqual([]);
  });
});

describe('staff tools', () => {
  let id = '';

  it('announces a new proposal in the staff channel with status buttons', async () => {
    const citizen = 'UVECINA';
    await ask(citizen, 'enviar propuesta');
    for (const a of PROPOSAL_ANSWERS) await ask(citizen, a);
    await ask(citizen, 'no');
    const done = await ask(citizen, 'confirmar');
    id = /GA-\d{4}-\d{6}/.exec(textOf(done))![0];
    const announcement = await until(() => posts().find((c) => c.body.channel === 'CSTAFF' && textOf(c).includes(id)), 'announcement');
    const blocks = announcement.body.blocks as { type: string; elements?: { action_id: string }[] }[];
    expect(blocks.at(-1)!.elements!.map((e) => e.action_id)).toEqual(['cabildo_status_en_revision', 'cabildo_status_seleccionada', 'cabildo_status_no_seleccionada', 'cabildo_hide']);
  });

  it('refuses non-staff politely and changes nothing', async () => {
    const refusal = await slash('UOUTSIDER', `estado ${id} seleccionada`);
    expect(String(refusal.body.text)).toMatch(/solo para el equipo/);
    const before = responses().length;
    await click('UOUTSIDER', 'cabildo_status_seleccionada', `${id}|seleccionada`);
    await until(() => responses()[before], 'refusal to a click');
    expect((await server.store.get(id))!.status).toBe('recibida');
  });

  it('lists, shows, summarises and exports for staff, recording who did it', async () => {
    const list = await slash(STAFF, 'propuestas recibida renca');
    expect(JSON.stringify(list.body.blocks)).toContain(id);
    const shown = await slash(STAFF, `ver ${id.toLowerCase()}`);
    expect(JSON.stringify(shown.body.blocks)).toMatch(/Presupuesto comunal en lenguaje claro/);
    const summary = await slash(STAFF, 'resumen');
    expect(String(summary.body.text)).toMatch(/Por canal\*\n• slack: 1/);
    const exported = await slash(STAFF, 'exportar');
    expect(String(exported.body.text)).toMatch(/CSV/);
    const upload = calls.find((c) => c.method === 'upload')!;
    expect(String(upload.body.content)).toContain(id);
    expect(String(upload.body.content).split('\n')[0]).not.toMatch(/contact/);
    const actions = (await server.store.list()).length && (await import('node:fs')).readFileSync(server.dbFile, 'utf8');
    expect(actions).toMatch(/"actor":"slack:USTAFF","action":"export_open_data"/);
  });

  it('shows staff the draft consultation ranked, and a commitment\'s comments escaped and paged', async () => {
    const at = new Date('2028-04-10T15:00:00Z');
    for (let i = 0; i < 12; i++) {
      const key = `draft-person-${i}`;
      await server.store.vote(key, 'C3', i % 3 === 0 ? 'disagree' : 'agree', at);
      await server.store.comment(key, 'webchat', 'C3', i === 11 ? '<!channel> *ojo* con esto' : `Comentario ${i}`, at);
      await server.store.vote(key, 'C1', 'pass', at);
      await server.store.setPriority(key, i < 8 ? 'C3' : 'C1', at);
    }
    const draft = String((await slash(STAFF, 'borrador')).body.text);
    expect(draft).toMatch(/^\*Consulta del borrador\*/);
    expect(draft).toMatch(/1\. \*C3\* Presupuesto municipal en datos abiertos: de acuerdo 8 \(67 %\) · en desacuerdo 4 \(33 %\) · paso 0 \(0 %\) · 12 comentarios · más importante 8/);
    expect(draft).toMatch(/2\. \*C1\* Justicia abierta: de acuerdo 0 \(0 %\) · en desacuerdo 0 \(0 %\) · paso 12 \(100 %\)/);
    const first = String((await slash(STAFF, 'opiniones C3')).body.text);
    expect(first).toMatch(/12 comentarios \(página 1 de 2\)/);
    expect(first).toContain('&lt;!channel&gt;');
    expect(first).not.toContain('<!channel>');
    const second = String((await slash(STAFF, 'opiniones c3 2')).body.text);
    expect(second).toMatch(/página 2 de 2/);
    expect(second.split('\n')).toHaveLength(3);
    expect(String((await slash(STAFF, 'opiniones C99')).body.text)).toMatch(/No existe el compromiso C99/);
    // Each comment shows the reference staff moderate it by.
    expect(first).toMatch(/^• `C3:12` 2028-04-10 · agree: &lt;!channel&gt;/m);
    expect(String((await slash(STAFF, 'ocultar C3:99 spam')).body.text)).toMatch(/No existe el comentario C3:99/);
    expect(String((await slash(STAFF, 'ocultar c3:12 Llama a <!channel>')).body.text)).toBe('El comentario C3:12 quedó oculto en los resultados públicos. Motivo: Llama a &lt;!channel&gt;');
    expect(String((await slash(STAFF, 'opiniones C3 1')).body.text)).toMatch(/`C3:12` .*_\(oculto: Llama a &lt;!channel&gt;\)_/);
    expect((await server.store.takeNotices('draft-person-11')).at(-1)).toMatchObject({ kind: 'comment_moderation', commitmentId: 'C3', commentNo: 12, hidden: true });
    expect(String((await slash(STAFF, 'mostrar C3:12')).body.text)).toBe('El comentario C3:12 vuelve a mostrarse en los resultados públicos.');
    expect((await import('node:fs')).readFileSync(server.dbFile, 'utf8')).toMatch(/"actor":"slack:USTAFF","action":"draft_opinions","detail":"C3"/);
    expect(String((await slash(STAFF, 'responder C9 algo')).body.text)).toMatch(/No existe el compromiso C9/);
    expect(String((await slash(STAFF, 'responder c3 Se incorpora con plazos por barrio.')).body.text)).toMatch(/Publiqué la respuesta a la consulta sobre C3/);
    expect((await server.store.consultationResponses())[0]).toMatchObject({ commitmentId: 'C3', text: 'Se incorpora con plazos por barrio.', by: `slack:${STAFF}` });
  });

  it('hides a proposal from the public results with a reason, and shows it again', async () => {
    const p = await server.store.submit({ title: 'Para moderar', problem: 'p', description: 'd', actors: 'a', components: 'c', institution: 'i', pillars: ['transparency'], territory: 'Renca', channel: 'test', userKey: 'mod-author', consent: false }, new Date('2027-03-15T12:00:00Z'), 2027);
    expect(String((await slash(STAFF, `ocultar ${p.id}`)).body.text)).toMatch(/Uso: `\/cabildo ocultar/);
    expect(String((await slash(STAFF, `ocultar ${p.id} Lenguaje <!channel> ofensivo`)).body.text)).toBe(`${p.id} quedó oculta en los resultados públicos. Motivo: Lenguaje &lt;!channel&gt; ofensivo`);
    expect((await server.store.get(p.id))?.hidden?.by).toBe(`slack:${STAFF}`);
    expect(String((await slash(STAFF, `mostrar ${p.id}`)).body.text)).toMatch(/vuelve a mostrarse/);
    expect((await server.store.get(p.id))?.hidden).toBeUndefined();
  });

  it('hides a proposal from its card: the button opens a modal asking why, the reason is required, and the button shows it again', async () => {
    const p = await server.store.submit({ title: 'Para moderar con botón', problem: 'p', description: 'd', actors: 'a', components: 'c', institution: 'i', pillars: ['transparency'], territory: 'Renca', channel: 'test', userKey: 'mod-button', consent: false }, new Date('2027-03-15T12:00:00Z'), 2027);
    const before = calls.length;
    expect((await click(STAFF, 'cabildo_hide', p.id)).status).toBe(200);
    const opened = await until(() => calls.slice(before).find((c) => c.method === 'views.open'), 'views.open');
    const view = JSON.parse(String(opened.body.view)) as { callback_id: string; private_metadata: string; blocks: { block_id: string }[] };
    expect(opened.body.trigger_id).toBe('t');
    expect(view).toMatchObject({ callback_id: 'cabildo_hide_reason', private_metadata: p.id });
    const submit = (user: string, reason: string) => {
      const payload = {
        type: 'view_submission', team: { id: 'T1' }, user: { id: user }, api_app_id: 'A1', token: 'x', trigger_id: `t${++eventCounter}`,
        view: { id: 'V1', team_id: 'T1', type: 'modal', callback_id: 'cabildo_hide_reason', private_metadata: p.id, hash: `h${eventCounter}`, app_id: 'A1', bot_id: 'BBOT', blocks: view.blocks, state: { values: { reason: { reason: { type: 'plain_text_input', value: reason } } } } },
      };
      return postForm({ payload: JSON.stringify(payload) });
    };
    const empty = await submit(STAFF, '   ');
    expect(await empty.json()).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringMatching(/Escribe el motivo/) } });
    expect((await server.store.get(p.id))?.hidden).toBeUndefined();
    expect(await (await submit('UOTHER', 'Me cae mal')).json()).toMatchObject({ response_action: 'errors' });
    expect((await server.store.get(p.id))?.hidden).toBeUndefined();
    const posted = posts().length;
    expect((await submit(STAFF, 'Datos de un vecino <!here>')).status).toBe(200);
    const told = await until(() => posts()[posted], 'confirmation');
    expect(told.body.channel).toBe(STAFF);
    expect(textOf(told)).toBe(`${p.id} quedó oculta en los resultados públicos. Motivo: Datos de un vecino &lt;!here&gt;`);
    expect((await server.store.get(p.id))?.hidden).toMatchObject({ reason: 'Datos de un vecino <!here>', by: `slack:${STAFF}` });
    const shownBefore = responses().length;
    await click(STAFF, 'cabildo_hide', p.id, { ts: '1700000000.000777' }); // another message: not a replay of the first click
    expect(textOf(await until(() => responses()[shownBefore], 'show again'))).toMatch(/vuelve a mostrarse/);
    expect((await server.store.get(p.id))?.hidden).toBeUndefined();
  });

  it('shows staff the work tables and, audited, who signed up with their contact', async () => {
    const at = new Date('2027-12-02T15:00:00Z');
    for (let i = 0; i < 3; i++) await server.store.signUp({ tableId: 'M5', userKey: `t${i}`, channel: 'test', name: i === 2 ? '<@U123> *Ana*' : `Persona ${i}`, email: `p${i}@correo.cl` }, 2, at);
    const tables = String((await slash(STAFF, 'mesas')).body.text);
    expect(tables).toMatch(/\*M5\* Justicia abierta y lenguaje claro \(en línea\) · 2028-01-11 19:00 · 2\/80 inscritos · 1 en espera/);
    const listed = String((await slash(STAFF, 'inscritos m5')).body.text);
    expect(listed).toMatch(/3 inscritos \(capacidad 80\)/);
    expect(listed).toMatch(/1\. Persona 0 · p0@correo\.cl · cupo · M5-/);
    expect(listed).toMatch(/3\. &lt;@U123&gt; \*\u200BAna\*\u200B · p2@correo\.cl · espera/);
    expect((await import('node:fs')).readFileSync(server.dbFile, 'utf8')).toMatch(/"actor":"slack:USTAFF","action":"signups","detail":"M5"/);
  });

  it('changes a status with a reasoned answer that the citizen sees on their next message', async () => {
    const changed = await slash(STAFF, `estado ${id} seleccionada Se trabajará en la mesa de transparencia.`);
    expect(String(changed.body.text)).toMatch(/quedó \*seleccionada\*/);
    expect((await server.store.get(id))).toMatchObject({ status: 'seleccionada', answer: 'Se trabajará en la mesa de transparencia.' });
    expect((await server.store.get(id))!.history.at(-1)!.by).toBe('slack:USTAFF');
    const next = await ask('UVECINA', 'hola');
    const notice = posts().filter((c) => c.body.thread_ts === next.body.thread_ts)[0]!;
    expect(textOf(notice)).toMatch(/seleccionada[\s\S]*mesa de transparencia/);
    // A status button from the announcement works too.
    const before = responses().length;
    await click(STAFF, 'cabildo_status_en_revision', `${id}|en_revision`);
    await until(() => responses()[before], 'status button response');
    expect((await server.store.get(id))!.status).toBe('en_revision');
  });
});
