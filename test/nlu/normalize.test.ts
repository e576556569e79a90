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
