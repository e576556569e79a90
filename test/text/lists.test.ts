/**
 * What follows a list is its own paragraph, on every channel: the engine ends each list of a
 * reply with a blank line, so markdown (Web Chat) does not read the next line as part of the
 * last bullet, and plain-text channels show it apart.
 */
import { describe, expect, it } from 'vitest';
import { replyToActivity } from '../../adapters/webchat/render.js';
import { toWhatsApp } from '../../adapters/whatsapp/format.js';
import { endListsWithBlankLine } from '../../src/text/lists.js';
import { person, testEngine } from '../helpers/conversation.js';

/** Lines right after a list item that are neither an item nor blank: where the glitch was. */
function glued(text: string): string[] {
  const lines = text.split('\n');
  return lines.filter((line, i) => i > 0 && line.trim() !== '' && !/^\s*([-*] |\d+\. )/.test(line) && /^\s*([-*] |\d+\. )/.test(lines[i - 1]!));
}

describe('a paragraph after a list', () => {
  it('gets a blank line before it; lists, blank lines and indented continuations stay as they are', () => {
    expect(endListsWithBlankLine('Planes:\n- uno\n- dos\nSegún datos de 2025, más.')).toBe('Planes:\n- uno\n- dos\n\nSegún datos de 2025, más.');
    expect(endListsWithBlankLine('1. a\n2. b\nFin')).toBe('1. a\n2. b\n\nFin');
    expect(endListsWithBlankLine('- a\n\nFin')).toBe('- a\n\nFin');
    expect(endListsWithBlankLine('- a\n  sigue\n- b')).toBe('- a\n  sigue\n- b');
    expect(endListsWithBlankLine('Sin lista.\nOtra línea.')).toBe('Sin lista.\nOtra línea.');
  });

  it('is its own paragraph in the plans answer on Web Chat and on WhatsApp', async () => {
    const { engine } = await testEngine();
    const ana = person(engine);
    await ana.send('cuántos planes de acción ha tenido chile');
    const reply = ana.last.replies.at(-1)!;
    expect(reply.text).toMatch(/\.\n\nSegún datos/);
    expect(glued(reply.text)).toEqual([]);
    // Web Chat: no hard break that would pull the paragraph into the last bullet.
    expect(replyToActivity(reply).text).not.toMatch(/^- .*  \n[^-\n]/m);
    expect(toWhatsApp(reply.text)).toMatch(/\.\n\nSegún datos/);
  });

  it('holds for every answer and every intent, as the engine sends them', async () => {
    const { engine } = await testEngine();
    const ana = person(engine, 'lists');
    for (const question of ['qué hacen con mis datos', 'cuántos planes de acción ha tenido chile', 'qué es un compromiso', 'ayuda', 'cómo participo', 'qué es la ogp local', 'cuáles son los pilares del gobierno abierto']) {
      await ana.send(question);
      for (const r of ana.last.replies) expect(glued(r.text), question).toEqual([]);
    }
  });
});
