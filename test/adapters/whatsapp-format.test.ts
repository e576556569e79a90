import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderCloud } from '../../adapters/whatsapp/cloud/render.js';
import { validSignature } from '../../adapters/whatsapp/cloud/verify.js';
import { MAX_TEXT_LENGTH, pickOption, splitText, toWhatsApp } from '../../adapters/whatsapp/format.js';

describe('WhatsApp text', () => {
  it('turns the markdown subset into WhatsApp formatting', () => {
    expect(toWhatsApp('La **OGP** nació en 2011. Más: [sitio](https://www.opengovpartnership.org/)')).toBe('La *OGP* nació en 2011. Más: sitio: https://www.opengovpartnership.org/');
  });

  it('splits long replies under 4,096 characters at paragraph breaks, losing nothing', () => {
    const paragraph = 'Texto de una respuesta larga. '.repeat(60).trim();
    const text = Array.from({ length: 6 }, () => paragraph).join('\n\n');
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    expect(parts.join('\n\n')).toBe(text);
    expect(splitText('x'.repeat(10_000)).every((p) => p.length <= MAX_TEXT_LENGTH)).toBe(true);
  });

  it('maps a bare number to the option with that number', () => {
    expect(pickOption('2', ['Sí', 'No'])).toBe('No');
    expect(pickOption(' 1. ', ['Sí', 'No'])).toBe('Sí');
    expect(pickOption('3', ['Sí', 'No'])).toBe('3');
    expect(pickOption('12 de agosto', ['Sí'])).toBe('12 de agosto');
  });
});

describe('Cloud API rendering', () => {
  it('uses reply buttons up to 3 options and a list up to 10', () => {
    const [buttons] = renderCloud({ text: '¿Confirmas?', options: ['Sí', 'No'] });
    expect(buttons).toMatchObject({ type: 'interactive', interactive: { type: 'button' } });
    const [list] = renderCloud({ text: 'Elige', options: ['1', '2', '3', '4'] });
    expect(list).toMatchObject({ type: 'interactive', interactive: { type: 'list' } });
  });

  it('sends a long text first when it does not fit an interactive message', () => {
    const messages = renderCloud({ text: 'a '.repeat(700), options: ['Sí', 'No'] });
    expect(messages.map((m) => m.type)).toEqual(['text', 'interactive']);
  });
});

describe('webhook signature', () => {
  const body = Buffer.from('{"object":"whatsapp_business_account"}');
  const good = `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`;
  it('accepts the app secret HMAC of the raw body and nothing else', () => {
    expect(validSignature(body, good, 's3cret')).toBe(true);
    expect(validSignature(body, good, 'other')).toBe(false);
    expect(validSignature(Buffer.from(`${body.toString()} `), good, 's3cret')).toBe(false);
    expect(validSignature(body, good.slice(0, -2), 's3cret')).toBe(false);
    expect(validSignature(body, undefined, 's3cret')).toBe(false);
  });
});
