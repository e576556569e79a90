import { describe, expect, it } from 'vitest';
import { cleanText, hasWords, normalize } from '../../src/nlu/normalize.js';
import { findTrackingNumber } from '../../src/nlu/rules.js';

describe('normalize', () => {
  it('folds case, accents, punctuation and stretched letters', () => {
    expect(normalize('¡¡Holaaaa!! ¿Qué es la TRANSPARENCIA?')).toBe('hola que es la transparencia');
    expect(normalize('participación   ciudadana...')).toBe('participacion ciudadana');
  });

  it('expands common chat spellings', () => {
    expect(normalize('wena, q es la ogp xq no entiendo')).toBe('buena que es la ogp porque no entiendo');
    expect(normalize('info pa participar porfa')).toBe('informacion para participar por favor');
  });

  it('keeps rr and ll, which are real double letters', () => {
    expect(normalize('desarrollo')).toBe('desarrollo');
  });
});

describe('cleanText', () => {
  it('drops control and zero-width characters but keeps the words', () => {
    expect(cleanText('ho\u200Bla\u0000 mun\u202Edo\uFEFF')).toBe('hola mundo');
  });
  it('treats every default-ignorable and blank code point as invisible', () => {
    for (const c of ['\u3164', '\u2800', '\u180E', '\u061C', '\u034F', '\u115F', '\u1160', '\uFFA0', '\u{E0041}', '\uFE0F', '\u2066']) {
      expect(cleanText(`${c}${c}${c}`), `U+${c.codePointAt(0)!.toString(16)}`).toBe('');
      expect(cleanText(`lu${c}minarias`)).toBe('luminarias');
    }
    expect(cleanText('\u3164\u3164 \u2800')).toBe('');
  });
  it('reads plain Latin-1 text the same as the full clean-up: spaces tidied, soft hyphens and Latin-1 controls gone', () => {
    expect(cleanText('  ¿Qué   es el   gobierno abierto?  ')).toBe('¿Qué es el gobierno abierto?');
    expect(cleanText('trans\u00ADparencia\u0085 ya')).toBe('transparencia ya');
    expect(cleanText('año\u00A0 2024\tñandú')).toBe('año 2024 ñandú');
  });
  it('turns other spaces into plain ones', () => {
    expect(cleanText('plaza\u00A0de\u2003armas\u3000norte\u2028sur')).toBe('plaza de armas norte\nsur');
  });
  it('keeps joiners, variation selectors and tags inside emoji', () => {
    for (const emoji of ['👩‍💻', '❤️', '1️⃣', '👍🏽', '🏳️‍🌈', '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}']) {
      expect(cleanText(`me gusta ${emoji} mucho`)).toBe(`me gusta ${emoji} mucho`);
    }
    expect(cleanText('a\u200Db')).toBe('ab');
  });
  it('tells emoji-only text from words', () => {
    expect(hasWords('😀🎉 !!!')).toBe(false);
    expect(hasWords('ok 😀')).toBe(true);
  });
});

describe('tracking numbers', () => {
  it('are found in any case, with or without dashes', () => {
    expect(findTrackingNumber('cómo va la GA-2026-000123?')).toBe('GA-2026-000123');
    expect(findTrackingNumber('ga2026000123')).toBe('GA-2026-000123');
    expect(findTrackingNumber('Ga 2026 123')).toBe('GA-2026-000123');
    expect(findTrackingNumber('gracias 2026')).toBeUndefined();
  });
});
