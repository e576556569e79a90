import { describe, expect, it } from 'vitest';
import { parseContact } from '../../src/dialog/signup-flow.js';
import { openMemoryStore } from '../../src/store/open.js';
import { expectWellFormed, person, TestClock, testEngine } from '../helpers/conversation.js';

const DURING_TABLES = '2027-12-02T15:00:00Z';

async function tablesEngine(iso = DURING_TABLES) {
  const clock = new TestClock(iso);
  return { ...(await testEngine({ clock })), clock };
}

async function signUp(p: ReturnType<typeof person>, table: string, name: string, contact: string) {
  await p.send('me quiero inscribir en una mesa');
  await p.send(table);
  await p.send('sí');
  await p.send(name);
  await p.send(contact);
  return /\*\*(M\d-[A-Z0-9]{4})\*\*/.exec(p.last.replies.map((r) => r.text).join('\n'))?.[1];
}

describe('work tables: a question is answered, a wish to sign up starts the sign-up', () => {
  it('"cuándo son las mesas" gets the dates and a sign-up option, and the next question is answered, not read as a table', async () => {
    const { engine } = await tablesEngine();
    const ana = person(engine);
    await ana.send('cuando son las mesas de trabajo');
    expect(ana.text).toMatch(/31 de enero de 2028/);
    expect(ana.text).not.toMatch(/Responde con el código/);
    expect(ana.options[0]).toBe('Quiero inscribirme');
    await ana.send('y los resultados donde los publican');
    expect(ana.last.intent).toBe('results');
    expect(ana.text).not.toMatch(/Responde con el código de una mesa/);
    // The option starts the sign-up.
    await ana.send('Quiero inscribirme');
    expect(ana.text).toMatch(/Responde con el código de la mesa/);
    // Mid sign-up, a question whose question word comes a few words in is answered, then the list again.
    await ana.send('y los resultados donde los publican');
    expect(ana.text).toMatch(/Publicación de resultados de las mesas/);
    expect(ana.text).toMatch(/Sigamos con tu inscripción/);
    await ana.send('M2');
    expect(ana.text).toMatch(/Para inscribirte en \*\*M2/);
  });

  it('"ya no puedo ir, cómo me salgo" shows the person\'s sign-ups with the way to cancel, not the list to sign up', async () => {
    const { engine } = await tablesEngine();
    const ana = person(engine);
    const code = await signUp(ana, 'M1', 'Ana Pérez', 'ana@correo.cl');
    await ana.send('me inscribi en una mesa pero ya no puedo ir, como me salgo');
    expect(ana.text).toMatch(new RegExp(`cancelar inscripción.*${code}`, 's'));
    expect(ana.text).not.toMatch(/Responde con el código de la mesa/);
    const bea = person(engine, 'bea');
    await bea.send('quiero salirme de la mesa de trabajo');
    expect(bea.text).toMatch(/No tienes inscripciones/);
  });
});

describe('work-table sign-up', () => {
  it('explains the tables, lists them, asks consent, validates the contact and confirms with a code', async () => {
    const { engine, store } = await tablesEngine();
    const ana = person(engine);
    await ana.send('me quiero inscribir en una mesa');
    expectWellFormed(ana.last.replies);
    expect(ana.text).toMatch(/mesas de trabajo\*\* son encuentros/);
    expect(ana.text).toMatch(/\*\*M1\*\* Transparencia y datos abiertos: 7 de diciembre de 2027, 18:00 h, Región Metropolitana de Santiago \(quedan 30 cupos/);
    expect(ana.text).toMatch(/\*\*M5\*\* Justicia abierta .*en línea/);
    expect(ana.options).toEqual(['M1', 'M2', 'M3', 'M4', 'M5']);
    await ana.send('M9');
    expect(ana.text).toMatch(/No encontré la mesa M9/);
    await ana.send('la M2 porfa');
    expect(ana.text).toMatch(/nombre.*correo o teléfono.*nunca se publican/s);
    expect(ana.options).toEqual(['Sí', 'No']);
    await ana.send('sí');
    await ana.send('Ana Pérez');
    await ana.send('ana arroba correo');
    expect(ana.text).toMatch(/no parece un correo ni un teléfono válido/);
    await ana.send('Ana@Correo.cl');
    expect(ana.text).toMatch(/¡Listo, Ana Pérez! Quedaste inscrita o inscrito en \*\*M2 · Participación ciudadana y territorios\*\*/);
    expect(ana.text).toMatch(/9 de diciembre de 2027, 18:00 h\nLugar: Centro Cultural Gabriela Mistral/);
    const code = /\*\*(M2-[A-Z0-9]{4})\*\*/.exec(ana.last.replies[0]!.text)![1]!;
    const stored = (await store.signUps('M2'));
    expect(stored).toEqual([expect.objectContaining({ code, name: 'Ana Pérez', email: 'ana@correo.cl', status: 'confirmed' })]);
    expect(stored[0]!.userKey).not.toContain('ana');

    await ana.send('me quiero inscribir en una mesa');
    await ana.send('M2');
    expect(ana.text).toMatch(new RegExp(`Ya estás inscrita o inscrito en \\*\\*M2.*${code}`));

    await ana.send('mis inscripciones');
    expect(ana.text).toContain(code);
    await ana.send('mis datos');
    expect(ana.text).toMatch(/Inscripciones en mesas de trabajo:\n- \*\*M2-/);
    await ana.send(`cancelar inscripción ${code.toLowerCase()}`);
    expect(ana.text).toMatch(/Cancelé tu inscripción/);
    expect((await store.signUps('M2'))).toEqual([]);
    await ana.send('cancelar inscripción M2-ZZZZ');
    expect(ana.text).toMatch(/No encontré una inscripción tuya con el código M2-ZZZZ/);
  });

  it('stores nothing when consent is refused', async () => {
    const { engine, store } = await tablesEngine();
    const ana = person(engine);
    await ana.send('inscribirme en una mesa de trabajo');
    await ana.send('M1');
    await ana.send('no');
    expect(ana.text).toMatch(/no guardé nada/);
    expect((await store.signUps('M1'))).toEqual([]);
  });

  it('re-asks an empty or emoji-only name with its reason', async () => {
    const { engine } = await tablesEngine();
    const ana = person(engine);
    await ana.send('inscribirme en una mesa de trabajo');
    await ana.send('M1');
    await ana.send('sí');
    await ana.send('🙂🙂');
    expect(ana.text).toMatch(/emojis/i);
    expect(ana.text).toMatch(/Cuál es tu nombre/);
  });

  it('puts people on the waitlist when full, and gives a freed place to the first in line with a notice', async () => {
    const { engine, store, clock } = await tablesEngine();
    for (let i = 0; i < 25; i++) await store.signUp({ tableId: 'M3', userKey: `k${i}`, channel: 'test', name: `P${i}`, email: `p${i}@x.cl` }, 25, clock.now());
    const bea = person(engine, 'bea');
    await bea.send('me quiero inscribir en una mesa');
    expect(bea.text).toMatch(/\*\*M3\*\* .*llena: lista de espera/);
    await bea.send('M3');
    await bea.send('sí');
    await bea.send('Beatriz');
    await bea.send('+56 9 8765 4321');
    expect(bea.text).toMatch(/está llena, así que quedaste en la \*\*lista de espera\*\* \(lugar 1\)/);
    const waiting = (await store.signUps('M3')).at(-1)!;
    expect(waiting).toMatchObject({ status: 'waitlist', phone: '+56987654321', name: 'Beatriz' });

    const first = (await store.signUps('M3'))[0]!;
    await store.cancelSignUp(first.userKey, first.code, clock.now());
    expect((await store.signUps('M3')).at(-1)!.status).toBe('confirmed');
    await bea.send('hola');
    expect(bea.text).toMatch(new RegExp(`¡Se liberó un cupo! Ya tienes lugar en \\*\\*M3 · Rendición de cuentas en municipios\\*\\* \\(código \\*\\*${waiting.code}\\*\\*\\)`));
  });

  it('reminds people with a place the day before, once', async () => {
    const { engine, clock } = await tablesEngine();
    const ana = person(engine);
    const code = await signUp(ana, 'M1', 'Ana', 'ana@correo.cl');
    clock.set('2027-12-06T13:00:00Z');
    await ana.send('hola');
    expect(ana.text).toMatch(new RegExp(`Recuerda: mañana es \\*\\*M1 · Transparencia y datos abiertos\\*\\*.*cancelar inscripción ${code}`, 's'));
    await ana.send('hola');
    expect(ana.text).not.toMatch(/Recuerda/);
  });

  it('"borrar mis datos" removes the sign-ups and frees the place for the next in line', async () => {
    const { engine, store, clock } = await tablesEngine();
    const ana = person(engine);
    await signUp(ana, 'M4', 'Ana', 'ana@correo.cl');
    for (let i = 0; i < 25; i++) await store.signUp({ tableId: 'M4', userKey: `k${i}`, channel: 'test', name: `P${i}`, email: `p${i}@x.cl` }, 25, clock.now());
    expect((await store.signUps('M4')).filter((x) => x.status === 'waitlist')).toHaveLength(1);
    await ana.send('borrar mis datos');
    await ana.send('1');
    expect(JSON.stringify((await store.signUps('M4')))).not.toContain('ana@correo.cl');
    expect((await store.signUps('M4')).every((x) => x.status === 'confirmed')).toBe(true);
  });

  it('after the deadline, says sign-up closed', async () => {
    const { engine } = await tablesEngine('2028-01-20T15:00:00Z');
    const ana = person(engine);
    await ana.send('me quiero inscribir en una mesa');
    expect(ana.text).toMatch(/inscripción a las mesas de trabajo está cerrada|del 1 de diciembre de 2027 al 31 de enero de 2028/);
    expect(ana.text).not.toMatch(/Responde con el código/);
  });

  it('50 people racing for 10 places: 10 confirmed, 40 waitlisted, none lost', async () => {
    const store = openMemoryStore();
    const now = new Date(DURING_TABLES);
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => store.signUp({ tableId: 'M1', userKey: `k${i}`, channel: 'test', name: `P${i}`, email: `p${i}@x.cl` }, 10, now)));
    expect(outcomes.filter((o) => o.signUp.status === 'confirmed')).toHaveLength(10);
    expect(outcomes.filter((o) => o.signUp.status === 'waitlist').map((o) => o.position).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect((await store.signUps('M1'))).toHaveLength(50);
    expect(new Set((await store.signUps('M1')).map((x) => x.code)).size).toBe(50);
  });

  it.each([
    ['ana@correo.cl', { email: 'ana@correo.cl' }],
    ['+56 9 1234 5678', { phone: '+56912345678' }],
    ['9 8765 4321', { phone: '+56987654321' }],
    ['+54 11 4321 8765', { phone: '+541143218765' }],
    ['ana@', undefined],
    ['12345', undefined],
    ['no tengo', undefined],
  ])('reads the contact %j', (text, expected) => {
    expect(parseContact(text)).toEqual(expected);
  });
});
