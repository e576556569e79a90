/**
 * Issue 12's examples, as conversations: each gets the answer a person needs, short.
 */
import { describe, expect, it } from 'vitest';
import { content, person, testEngine } from './helpers/conversation.js';

const MAX_FIRST_REPLY = 500;

// One engine for the file (training takes a while); each conversation is a new person.
let shared: Awaited<ReturnType<typeof testEngine>> | undefined;
let people = 0;
async function ask(...messages: string[]) {
  shared ??= await testEngine();
  const { engine, store } = shared;
  const id = `person-${++people}`;
  const ana = person(engine, id);
  for (const m of messages) await ana.send(m);
  return { ana, store, engine, id };
}

/** Every reply of the last turn fits a phone screen. */
function expectShort(ana: Awaited<ReturnType<typeof ask>>['ana']) {
  for (const r of ana.last.replies) expect(r.text.length, r.text).toBeLessThanOrEqual(MAX_FIRST_REPLY);
}

describe('answers that fit the question', () => {
  it('explains open government in simple words to a confused person', async () => {
    const { ana } = await ask('q significa gobierno abierto en palabras simples, no entiendo nada de esto');
    expect(ana.last.intent).toBe('open_government');
    expect(ana.text).toMatch(/abrir la información y las decisiones públicas/);
    expect(ana.text).not.toMatch(/no entendí/i);
    expectShort(ana);
  });

  it('answers two of three questions in one message, in order, without starting the form', async () => {
    const { ana, store, engine, id } = await ask('hola quisiera saber que es el gobierno abierto y tambien como puedo mandar una propuesta y hasta cuando hay plazo');
    expect(ana.last.replies).toHaveLength(2);
    expect(ana.last.replies[0]!.text).toMatch(/gobierno abierto/);
    // How to send one, and until when (the reception's end).
    expect(ana.last.replies[1]!.text).toMatch(/Enviar propuesta/);
    expect(ana.last.replies[1]!.text).toMatch(/30 de noviembre de 2027/);
    expect(ana.text).not.toMatch(/No tienes propuestas/);
    expect((await store.session(engine.userKey('test', id)))?.form).not.toBe('proposal');
    expectShort(ana);
  });

  it('reads "y después qué pasa?" after the deadline answer as what comes after the reception', async () => {
    const { ana } = await ask('hasta cuando puedo mandar propuestas', 'y despues q pasa?');
    expect(ana.text).toMatch(/mesas de trabajo/i);
    expect(ana.text).toMatch(/1 de diciembre de 2027/);
    expect(ana.text).not.toMatch(/Hasta pronto/);
    expectShort(ana);
  });

  it.each(['quien decide que propuestas quedan', 'como van a elegir las propuestas'])('says who selects proposals and how: "%s"', async (question) => {
    const { ana } = await ask(question);
    expect(ana.text).toMatch(/Mesa de Gobierno Abierto/);
    expect(ana.text).toMatch(/criterios y estándares/);
    expect(ana.text).not.toMatch(/No tienes propuestas/);
    expectShort(ana);
  });

  it('gives the 2020 calendar as history, not today\'s stage', async () => {
    const { ana } = await ask('cuando fue la recepcion de propuestas del quinto plan');
    expect(ana.text).toMatch(/10 al 24 de agosto de 2020/);
    expect(ana.text).not.toMatch(/Ahora estamos en/);
    expectShort(ana);
  });

  it('says when Chile started, not the Peñalolén block', async () => {
    const { ana } = await ask('gobierno abierto en chile cuando empezo');
    expect(ana.text).toMatch(/desde \*\*2011\*\*|desde 2011/);
    expect(ana.text).toMatch(/2012-2013/);
    expect(ana.text).not.toMatch(/Peñalolén/);
    expectShort(ana);
  });

  it.each([
    ['chile es parte del comite ejecutivo de ogp?', [/Sí/, /2015/, /comité ejecutivo/, /2016/]],
    ['cuantas comunas hay en chile', [/346 comunas/]],
    ['que es la red chilena de gobierno abierto', [/Red Chilena de Gobierno Abierto/, /sociedad civil/, /Mesa de Gobierno Abierto/]],
  ] as const)('answers the precise fact: "%s"', async (question, patterns) => {
    const { ana } = await ask(question);
    for (const p of patterns) expect(ana.text).toMatch(p);
    // The fact first; the topic's overview is one tap away.
    expect(ana.options[0]).toBe('Ver más');
    expectShort(ana);
  });

  it.each([
    ['quien organiza esta consulta', [/organiza la \*\*Mesa de Gobierno Abierto\*\*/]],
    ['esto es oficial?', [/oficial/, /ogp\.gob\.cl/]],
    ['eres un robot?', [/asistente automático/, /no una persona/]],
    ['wena, pa q sirve esto?', [/Cabildo/, /asistente automático/, /Mesa de Gobierno Abierto/]],
  ] as const)('says what Cabildo is and who runs the consultation: "%s"', async (question, patterns) => {
    const { ana } = await ask(question);
    expect(ana.last.intent).toBe('bot.identity');
    for (const p of patterns) expect(ana.text).toMatch(p);
    expect(ana.text).not.toMatch(/equipo municipal/);
    expectShort(ana);
  });

  it('explains how to ask for information under the transparency law, not the pillar', async () => {
    const { ana } = await ask('como pido informacion a la municipalidad por ley de transparencia');
    expect(ana.last.intent).toBe('access_to_information');
    expect(ana.text).toMatch(/Portal de Transparencia/);
    expect(ana.text).toMatch(/20 días hábiles/);
    expect(ana.text).toMatch(/art\. 12/);
    expectShort(ana);
  });

  it('sends a pothole to the OIRS and offers a proposal only for a structural problem', async () => {
    const { ana } = await ask('hay un hoyo en mi calle hace meses y nadie lo arregla');
    expect(ana.last.intent).toBe('service_request');
    expect(ana.text).toMatch(/No tramito reclamos/);
    expect(ana.text).toContain(content().referrals.oirs);
    expect(ana.text).toMatch(/estructural o que se repite/);
    expect(ana.text).not.toMatch(/lee todas las propuestas|no entendí/i);
    expect(ana.options).toContain('Enviar propuesta');
    expectShort(ana);
  });

  it.each([
    ['puedo votar por propuestas?', /No recibo votos/],
    ['se puede editar una propuesta ya enviada?', /no se puede editar/],
  ])('answers "%s" instead of starting a proposal', async (question, pattern) => {
    const { ana, store, engine, id } = await ask(question);
    expect(ana.text).toMatch(pattern);
    expect(ana.text).not.toMatch(/Título|título de tu propuesta/);
    expect((await store.session(engine.userKey('test', id)))?.form).not.toBe('proposal');
    expectShort(ana);
  });
});

describe('several questions, comparisons and clarification', () => {
  it('answers two questions in order and leaves greetings and thanks out', async () => {
    const { ana } = await ask('hola! qué es la OGP? y cuáles son los pilares del gobierno abierto?');
    expect(ana.last.replies).toHaveLength(2);
    expect(ana.last.replies[0]!.text).toMatch(/Alianza para el Gobierno Abierto/);
    expect(ana.last.replies[1]!.text).toMatch(/pilares|transparencia/i);
    expect(ana.text).not.toMatch(/¡Hola!/);
  });

  it('takes "soy una persona común" as who is asking, not as a second question (no hand-off to a person)', async () => {
    const { ana } = await ask('puedo participar aunq no sea de ninguna ong? soy una persona comun y corriente no mas');
    expect(ana.last.replies).toHaveLength(1);
    expect(ana.last.intent).toBe('participate');
    expect(ana.text).toMatch(/participar/);
    expect(ana.text).not.toMatch(/transferirte|¿Me preguntas por/);
    // Asked as a question, the same words are one.
    const { ana: bea } = await ask('qué es la OGP? y cuáles son los pilares? vivo en Renca');
    expect(bea.last.replies).toHaveLength(2);
  });

  it('answers a single question wrapped in a greeting with that question', async () => {
    const { ana } = await ask('hola, buenas tardes. cuántas comunas hay en chile?');
    expect(ana.text).toMatch(/346 comunas/);
  });

  it('answers both pillars of a comparison', async () => {
    const { ana } = await ask('cuál es la diferencia entre transparencia y participación');
    expect(ana.last.replies).toHaveLength(2);
    expect(ana.last.replies[0]!.text).toMatch(/transparencia/i);
    expect(ana.last.replies[1]!.text).toMatch(/participación ciudadana/i);
  });

  it('asks "¿A o B?" when two readings are close, and answers the one picked', async () => {
    const { ana } = await ask('que hace la mesa');
    expect(ana.text).toMatch(/^¿Me preguntas por .+ o por .+\?$/);
    expect(ana.options).toHaveLength(2);
    expect(ana.options).toContain('Mesa Gob. Abierto');
    await ana.send('Mesa Gob. Abierto');
    expect(ana.last.intent).toBe('forum');
    expect(ana.text).toMatch(/foro multiactor/);
  });

  it('takes "la primera" as the first option offered', async () => {
    const { ana } = await ask('que hace la mesa');
    const first = ana.options[0]!;
    await ana.send('la primera');
    expect(ana.last.intent).toBe(first === 'Mesa Gob. Abierto' ? 'forum' : 'work_tables');
  });

  it('still says it does not understand clearly out-of-scope text, offering what it can do today', async () => {
    const { ana } = await ask('quieres ser mi amigo?');
    expect(ana.last.intent).toBe('none');
    expect(ana.options[0]).toBe('Enviar propuesta');
  });
});

/** Questions a blind end-to-end probe (90 questions written from the seeds, 2026-12-02) found unanswered. */
describe('answers that fit the question: what a blind probe found', () => {
  it.each([
    ['cuando se reciben propuestas', /Termina el 30 de noviembre de 2027/, /2020/],
    ['hasta cuando se pueden mandar propuestas pal quinto plan', /10 al 24 de agosto de 2020/, /Ahora estamos en/],
    ['renca esta en ogp local?', /Renca\*\* no pertenece a OGP Local.*2° Plan de Acción/s, /104 según/],
    ['que compromisos tiene peñalolen', /Peñalolén Más Verde.*Discapacidad.*Conectados Todo es más Fácil/s, /Justicia Abierta/],
    ['cuando sale el plan de accion final', /se publica desde el 1 de mayo de 2028/, /Ahora estamos en/],
    ['donde puedo ver los resultados de las mesas de trabajo', /plataforma abierta a la ciudadanía/, /No tienes propuestas/],
    ['q son las jornadas de sensibilizacion', /espacios informativos sobre gobierno abierto/, /Ahora estamos en/],
    ['trabajo en una muni y queremos hacer gobierno abierto, por donde partimos', /transparencia proactiva.*CEPAL/s, /104 según/],
    ['que es la cocreacion', /gobierno y sociedad civil diseñen juntos los compromisos/, /Colaboración e innovación/],
    ['como doy mi opinion sobre el borrador del plan', /Podrás opinar aquí mismo/, /Ahí podrás/],
    ['puedo participar aunq no sea de ninguna ong?', /\*\*cualquier persona\*\* interesada/, /transferirte/],
    ['que es un compromiso', /Los compromisos deben ser específicos/, /Debe ser específicos/],
    ['ley del lobby', /^En Chile, la Ley del Lobby/, /^la Ley/],
    ['q organizaciones de la sociedad civil han participado en ogp en chile', /Ciudadano Inteligente.*Chile Transparente/s, /tiene que co-crear/],
    ['perdi el numero de seguimiento de mi propuesta, q hago', /escribe «mis propuestas» desde ahí/, /^No tienes propuestas enviadas desde esta conversación\. Si tienes un número/],
  ])('"%s"', async (question, expected, wrong) => {
    const { ana } = await ask(question);
    expect(ana.text).toMatch(expected);
    expect(ana.text).not.toMatch(wrong);
    expectShort(ana);
  });

  it.each([
    ['q es la mesa de gobierno abierto', 'y quien la preside', /La preside el Subsecretario General de la Presidencia/],
    ['como entra un pais a la ogp', 'y chile desde cuando esta?', /Chile es miembro de OGP desde \*\*2011\*\*/],
    ['cuantos planes tiene chile', 'y el ultimo cuantos compromisos tenia', /quinto plan de acción\*\* de Chile es el de \*\*2020-2022/],
    ['que es ogp local', 'y peñalolen q compromisos tiene', /Peñalolén Más Verde/],
  ])('after "%s", "%s" is read against that topic', async (first, followUp, expected) => {
    const { ana } = await ask(first, followUp);
    expect(ana.text).toMatch(expected);
    expectShort(ana);
  });
});

/** What a second blind probe (100 new questions, 2026-12-02) found after the first round of fixes. */
describe('answers that fit the question: what a second blind probe found', () => {
  it('answers two facts of one topic asked together ("cuánto se demoran? y hay que pagar?")', async () => {
    const { ana } = await ask('cuanto se demoran en responder una solicitud de transparencia? y hay q pagar?');
    expect(ana.last.replies).toHaveLength(2);
    expect(ana.last.replies[0]!.text).toMatch(/20 días hábiles/);
    expect(ana.last.replies[1]!.text).toMatch(/gratuito/);
  });

  it('reads "y si no me responden?" after the transparency law as its appeal, and "y cómo participo?" as a new topic', async () => {
    const { ana } = await ask('que es la ley de transparencia', 'y si no me responden?');
    expect(ana.text).toMatch(/amparo.*Consejo para la Transparencia/s);
    expect(ana.text).not.toMatch(/asistente automático/);
    const { ana: bea } = await ask('que es la ogp', 'y como participo');
    expect(bea.last.intent).toBe('participate');
  });

  it('says where the work tables are without opening the sign-up list, also to "y en regiones?"', async () => {
    const { ana } = await ask('donde se hacen las mesas de trabajo', 'y en regiones tambien?');
    expect(ana.text).toMatch(/Lugares: Región Metropolitana de Santiago, Región de Valparaíso, Región del Biobío y en línea/);
    expect(ana.text).not.toMatch(/Responde con el código/);
    expectShort(ana);
  });

  it.each([
    ['es verdad que la ogp nacio en la onu?', /nace en el seno de Naciones Unidas/],
    ['cual es el objetivo de la mesa de gobierno abierto', /instancia de participación de la sociedad civil/],
    ['que organizacion coordina a la sociedad civil en ogp chile', /Fundación Ciudadano Inteligente, que decidió liderar la coordinación/],
    ['q consiguio la sociedad civil en el tercer plan de accion', /mecanismo permanente y formal de diálogo/],
    ['donde y cuando fue el encuentro regional de las americas de ogp el 2016', /30 de mayo al 2 de junio de 2016, en Montevideo/],
  ])('answers "%s" from the seeds', async (question, expected) => {
    const { ana } = await ask(question);
    expect(ana.text).toMatch(expected);
    expectShort(ana);
  });

  it('gives every stage with its dates when asked for the stages, today\'s marked; "Fechas" offers it', async () => {
    const { ana } = await ask('cuales son las etapas del proceso pa hacer un nuevo plan de accion');
    expect(ana.text).toMatch(/Jornadas de sensibilización\*\*: 1 oct 2026 – 15 nov 2026/);
    expect(ana.text).toMatch(/Recepción de propuestas\*\*: 16 nov 2026 – 30 nov 2027 \(ahora\)/);
    expect(ana.text).toMatch(/Publicación del Plan de Acción\*\*: 1 may 2028 – 31 may 2028/);
    expect(ana.text.match(/^- \*\*/gm)).toHaveLength(7);
    expectShort(ana);
    const { ana: bea } = await ask('fechas');
    expect(bea.options).toContain('Calendario completo');
    await bea.send('Calendario completo');
    expect(bea.text.match(/^- \*\*/gm)).toHaveLength(7);
    // The fifth plan's stages are history, all of them.
    const { ana: cata } = await ask('etapas del quinto plan');
    expect(cata.text).toMatch(/sensibilización: agosto de 2020.*10 al 24 de agosto de 2020.*sus resultados, octubre de 2020.*diciembre de 2020/s);
  });

  it.each([
    ['cuando es la seleccion de propuestas', /\*\*Selección de propuestas\*\*: del 1 de marzo de 2028 al 31 de marzo de 2028/, /borrador del plan.*1 de abril de 2028/s],
    ['cuando son las jornadas de sensibilizacion', /\*\*Jornadas de sensibilización\*\*: del 1 de octubre de 2026/, /recepción de propuestas/],
    ['cuando publican los resultados de las mesas', /\*\*Publicación de resultados de las mesas\*\*: del 1 de febrero de 2028/, /selecciona las propuestas/],
    ['cuando es la consulta publica del borrador', /1 de abril de 2028/, /publica el Plan de Acción\*\* \(desde el 1 de mayo de 2028\)/],
  ])('"%s" gets that stage\'s dates, and "¿y después?" what follows it', async (question, dates, after) => {
    const { ana } = await ask(question);
    expect(ana.text).toMatch(dates);
    expect(ana.text).not.toMatch(/Ahora estamos en/);
    await ana.send('y despues de eso q viene?');
    expect(ana.text).toMatch(after);
  });

  it('takes "y quién la escribió" after a question as about that, not about the bot; "¿y tú eres un robot?" is about the bot', async () => {
    const { ana } = await ask('q es la carta iberoamericana de gobierno abierto y quien la escribio');
    expect(ana.text).not.toMatch(/asistente automático|organiza la/);
    const { ana: bea } = await ask('que es la ogp? y tu eres un robot?');
    expect(bea.last.replies).toHaveLength(2);
    expect(bea.last.replies[1]!.text).toMatch(/asistente automático/);
  });
});

/** What a third blind probe (100 new questions, 2026-12-02: 83 answered) found. */
describe('answers that fit the question: what a third blind probe found', () => {
  it.each([
    ['el cuarto plan de q años era', 'y cuantos compromisos tenia?', /cuarto plan de acción\*\* de Chile fue el de \*\*2018-2020\*\*, con \*\*12 compromisos/, /primer plan/],
    ['cuando se creo la ogp', 'y chile desde cuando es miembro?', /Chile es miembro de OGP desde \*\*2011\*\*/, /Ahora estamos en/],
    ['que es la ogp', 'y eso cuando es', /se creó en \*\*2011\*\*/, /Ahora estamos en/],
  ])('after "%s", "%s"', async (first, followUp, expected, wrong) => {
    const { ana } = await ask(first, followUp);
    expect(ana.text).toMatch(expected);
    expect(ana.text).not.toMatch(wrong);
  });

  it('"me inscribí en una mesa" shows the sign-ups (none here, and where else to look) instead of a new sign-up', async () => {
    const { ana } = await ask('me anote en una mesa pero no voy a poder, como me salgo');
    expect(ana.text).toMatch(/No tienes inscripciones en mesas de trabajo desde esta conversación.*«mis inscripciones» desde ahí/s);
    expect(ana.text).not.toMatch(/Responde con el código/);
  });

  it('"¿y quién se encarga de implementarlo?" after a commitment names its responsible institution, not who selects proposals', async () => {
    const { ana } = await ask('que partes tiene un compromiso', 'y quien se encarga de implementarlo?');
    expect(ana.text).toMatch(/institución responsable de su implementación/);
    expect(ana.text).not.toMatch(/selecciona/);
  });

  it('points another public service\'s procedure to the door from data/referrals.yaml; small talk gets the usual reply', async () => {
    const { ana } = await ask('como saco mi carnet de identidad');
    expect(ana.last.intent).toBe('none');
    expect(ana.text).toMatch(/para trámites de otros servicios públicos te orienta ChileAtiende \(chileatiende\.gob\.cl o el teléfono 101\)/);
    expectShort(ana);
    const { ana: bea } = await ask('receta de empanadas');
    expect(bea.text).not.toMatch(/ChileAtiende/);
    expect(bea.text).toMatch(/fuera de lo que sé/);
  });

  it('sends a complaint to the OIRS in plain Spanish', async () => {
    const { ana } = await ask('los vecinos hacen fiesta todas las noches y no dejan dormir, a quien reclamo');
    expect(ana.text).toMatch(/Puedes contactarla en persona en la municipalidad, por teléfono o con el formulario/);
  });
});
