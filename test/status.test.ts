import { describe, expect, it } from 'vitest';
import { PROPOSAL_ANSWERS, person, testEngine } from './helpers/conversation.js';

async function submit(p: ReturnType<typeof person>) {
  await p.send('enviar propuesta');
  for (const a of PROPOSAL_ANSWERS) await p.send(a);
  await p.send('no');
  await p.send('confirmar');
  return /GA-\d{4}-\d{6}/.exec(p.text)![0];
}

describe('proposal status', () => {
  it('finds a proposal by tracking number in any case, with or without dashes', async () => {
    const { engine } = await testEngine();
    const id = await submit(person(engine, 'ana'));
    const other = person(engine, 'beto');
    for (const asked of [id, id.toLowerCase(), id.replace(/-/g, ''), `en qué va la ${id.replace(/-/g, ' ')}?`]) {
      await other.send(asked);
      expect(other.last.intent).toBe('proposal.status');
      expect(other.text).toContain(id);
      expect(other.text).toMatch(/Estado: \*\*recibida\*\*/);
    }
    await other.send('GA-2027-999999');
    expect(other.text).toMatch(/No encontré/);
  });

  it('finds "mi propuesta número 1" without GA and its year, and says the form of a number it cannot find', async () => {
    const { engine } = await testEngine();
    const ana = person(engine, 'ana');
    const id = await submit(ana);
    const seq = Number(id.slice(-6));
    await ana.send(`en q estado esta mi propuesta numero ${seq}`);
    expect(ana.text).toContain(id);
    expect(ana.text).toMatch(/Estado: \*\*recibida\*\*/);
    await ana.send('en q estado esta mi propuesta numero 4821');
    expect(ana.text).toMatch(/No encontré ninguna propuesta con el número 4821.*GA-\d{4}-\d{6}/s);
  });

  it('lists "my proposals" for the same channel user only', async () => {
    const { engine } = await testEngine();
    const ana = person(engine, 'ana');
    const first = await submit(ana);
    const second = await submit(ana);
    await ana.send('mis propuestas');
    expect(ana.text).toContain(first);
    expect(ana.text).toContain(second);
    const sameIdOtherChannel = person(engine, 'ana', 'otro-canal');
    await sameIdOtherChannel.send('mis propuestas');
    expect(sameIdOtherChannel.text).not.toContain(first);
  });

  it('delivers a status change as a notice before the reply to the next message, with the staff answer', async () => {
    const { engine, store, clock } = await testEngine();
    const ana = person(engine, 'ana');
    const id = await submit(ana);
    await store.setStatus(id, { status: 'seleccionada', answer: 'Se trabajará en la mesa de transparencia.', actor: 'staff:lucia' }, clock.now());
    expect(await engine.pendingNoticeKeys()).toEqual([{ channel: 'test', userKey: engine.userKey('test', 'ana') }]);
    await ana.send('hola');
    expect(ana.last.replies[0]!.text).toMatch(new RegExp(`Novedades de tu propuesta \\*\\*${id}`));
    expect(ana.last.replies[0]!.text).toMatch(/seleccionada/);
    expect(ana.last.replies[0]!.text).toMatch(/mesa de transparencia/);
    expect(ana.last.intent).toBe('greeting');
    await ana.send('hola');
    expect(ana.text).not.toMatch(/Novedades/);
    await ana.send(id);
    expect(ana.text).toMatch(/Respuesta del equipo:\*\* Se trabajará/);
    expect((await store.get(id))!.history.at(-1)).toMatchObject({ status: 'seleccionada', by: 'staff:lucia' });
  });

  it('lets a channel that writes first take the notices', async () => {
    const { engine, store, clock } = await testEngine();
    const id = await submit(person(engine, 'ana'));
    await store.setStatus(id, { status: 'en_revision', actor: 'staff:lucia' }, clock.now());
    const notices = await engine.takeNotices('test', 'ana');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toMatch(/en revisión/);
    expect(await engine.takeNotices('test', 'ana')).toEqual([]);
  });
});

describe('privacy and deletion', () => {
  it('shows everything stored about the person on "mis datos"', async () => {
    const { engine } = await testEngine();
    const ana = person(engine, 'ana');
    await ana.send('mis datos');
    expect(ana.text).toMatch(/No tengo ningún dato tuyo/);
    const id = await submit(ana);
    await ana.send('mis datos');
    expect(ana.text).toContain(id);
    expect(ana.text).toContain('Presupuesto comunal en lenguaje claro');
    expect(ana.text).toMatch(/clave cifrada/);
  });

  it('erases contact data and withdraws proposals only after confirmation, keeping them anonymous', async () => {
    const { engine, store } = await testEngine();
    const ana = person(engine, 'ana');
    await ana.send('enviar propuesta');
    for (const a of PROPOSAL_ANSWERS) await ana.send(a);
    for (const a of ['sí', 'Camila Rojas', 'Junta de Vecinos', 'camila@correo.cl', 'confirmar']) await ana.send(a);
    const id = /GA-\d{4}-\d{6}/.exec(ana.text)![0];

    await ana.send('quiero que borren mis datos');
    expect(ana.last.intent).toBe('data_deletion');
    expect(ana.options).toEqual(['Solo mi contacto', 'Retirar propuestas', 'Cancelar']);
    await ana.send('no');
    expect(ana.text).toMatch(/no borré nada/);
    expect((await store.get(id))!.contact).toBeDefined();

    await ana.send('quiero que borren mis datos');
    await ana.send('sí');
    // "sí" does not say which of the two: asked again, nothing erased yet.
    expect(ana.text).toMatch(/«2» para retirar/);
    expect((await store.get(id))!.contact).toBeDefined();
    await ana.send('Retirar propuestas');
    expect(ana.text).toMatch(/Retiré tus propuestas \(1\) y borré tus datos de contacto/);
    const p = (await store.get(id))!;
    expect(p.status).toBe('retirada');
    expect(p.contact).toBeUndefined();
    expect(p.userKey).toBeUndefined();
    expect(p.title).toBe('Presupuesto comunal en lenguaje claro');
    await ana.send('mis datos');
    expect(ana.text).toMatch(/No tengo ningún dato tuyo/);
  });

  it('explains what is stored and why', async () => {
    const { engine } = await testEngine();
    const ana = person(engine, 'ana');
    await ana.send('qué hacen con mis datos personales?');
    expect(ana.last.intent).toBe('privacy');
    expect(ana.text).toMatch(/24 horas/);
    expect(ana.options).toEqual(expect.arrayContaining(['Mis datos', 'Borrar mis datos']));
  });
});
