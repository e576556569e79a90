/**
 * Every first reply fits a phone screen (at most 500 characters): every intent's answer and its
 * "Ver más", every fact answer, and the calendar-driven answers on every stage's first and last
 * day. Topic names and fact options lead where they say; referrals come from the installation.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillFacts } from '../src/answers/facts.js';
import { resultsReply, staticAnswer, timelineReply, workTablesReply } from '../src/answers/render.js';
import { withTodayOffer } from '../src/answers/stage.js';
import { createEngine, OFFERS_TODAY } from '../src/engine.js';
import { createUnderstander, factQuestions } from '../src/nlu/understand.js';
import { openMemoryStore } from '../src/store/open.js';
import type { IntentName } from '../src/types.js';
import { content, expectWellFormed, person, ROOT } from './helpers/conversation.js';

const MAX = 500;

describe('phone-sized answers', () => {
  const c = content();
  // Noon in Santiago on each stage's first and last day.
  const days = c.consultation.stages.flatMap((s) => [s.start, s.end]).map((d) => new Date(`${d}T16:00:00Z`));

  it('keeps every intent answer, and what "Ver más" adds, within 500 characters', () => {
    for (const [name, file] of c.intents) {
      if (!file.answer) continue;
      const reply = staticAnswer(c, file.answer);
      expectWellFormed([reply]);
      expect(reply.text.length, name).toBeLessThanOrEqual(MAX);
      if (file.answer.more) {
        expect(fillFacts(file.answer.more, c.facts).trim().length, `${name} (more)`).toBeLessThanOrEqual(MAX);
        expect(reply.options?.[0], name).toBe(c.messages.options.more);
      }
      for (const now of OFFERS_TODAY.has(name) ? days : []) {
        expect(withTodayOffer(c, reply, now).text.length, `${name} with today's offer on ${now.toISOString()}`).toBeLessThanOrEqual(MAX);
      }
    }
  });

  it('keeps every fact answer within 500 characters, with no placeholder left', () => {
    expect(c.answers.length).toBeGreaterThanOrEqual(30);
    for (const a of c.answers) {
      const text = fillFacts(a.answer, c.facts);
      expect(text, a.id).not.toMatch(/\{\{|\}\}/);
      expect(text.length, a.id).toBeLessThanOrEqual(MAX);
    }
  });

  it('keeps the calendar, the work tables and the results answers within 500 characters on every stage', () => {
    for (const now of days) {
      for (const reply of [timelineReply(c, now), workTablesReply(c, now), resultsReply(c, now, [])]) {
        expect(reply.text.length, `${now.toISOString()}: ${reply.text}`).toBeLessThanOrEqual(MAX);
      }
    }
  });

  it('offers topic names that lead back to their topic, and fact options that lead somewhere', () => {
    const nlu = createUnderstander(c.intents, {}, factQuestions(c.answers));
    for (const [intent, label] of Object.entries(c.messages.topics) as [IntentName, string][]) {
      expect(nlu.understand(label).intent, `topic "${label}"`).toBe(intent);
    }
    for (const a of c.answers) {
      for (const option of a.options ?? []) expect(nlu.understand(option).intent, `${a.id}: "${option}"`).not.toBe('none');
    }
    expect(nlu.understand(c.messages.options.more).intent).not.toBe('none');
  });

  it('names the organiser from consultation.yaml, never a hard-coded team', () => {
    const all = [
      ...[...c.intents.values()].flatMap((f) => (f.answer ? [f.answer.text, f.answer.more ?? ''] : [])),
      ...c.answers.map((a) => a.answer),
      ...Object.values(c.messages.messages),
    ].join('\n');
    expect(all).not.toMatch(/equipo municipal/i);
    expect(all).toContain('{{consultation.organizer}}');
  });
});

describe('referrals', () => {
  it('gives the right door from data/referrals.yaml, as the installation filled it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cabildo-referrals-'));
    cpSync(join(ROOT, 'intents'), join(dir, 'intents'), { recursive: true });
    cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true });
    writeFileSync(
      join(dir, 'data', 'referrals.yaml'),
      [
        'oirs: "la OIRS de la Municipalidad de Renca"',
        'channels: "en Blanco Encalada 1335, al teléfono 22 685 6600 o en renca.cl/oirs, de lunes a viernes de 8:30 a 14:00"',
        'official: "renca.cl/participa, donde la municipalidad publica este chat"',
        '',
      ].join('\n'),
    );
    const engine = await createEngine({ contentDir: dir, store: openMemoryStore('test-secret-0123456789'), clock: () => new Date('2027-03-15T15:00:00Z') });
    const ana = person(engine);
    await ana.send('el camión de la basura no ha pasado en toda la semana');
    expect(ana.last.intent).toBe('service_request');
    expect(ana.text).toContain('la OIRS de la Municipalidad de Renca');
    expect(ana.text).toContain('renca.cl/oirs');
    await ana.send('esto es oficial?');
    expect(ana.text).toContain('renca.cl/participa');
    await ana.send('quiero hablar con una persona');
    expect(ana.text).toContain('la OIRS de la Municipalidad de Renca');
  });

  it('refuses content without data/referrals.yaml, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cabildo-referrals-'));
    cpSync(join(ROOT, 'intents'), join(dir, 'intents'), { recursive: true });
    cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true, filter: (src) => !src.endsWith('referrals.yaml') });
    await expect(createEngine({ contentDir: dir, store: openMemoryStore('test-secret-0123456789') })).rejects.toThrow(/data\/referrals\.yaml/);
  });
});
