/**
 * Validators for the proposal's answers. Each returns the cleaned value or a reason code; the
 * form turns the reason into a re-ask from `data/proposal-form.yaml`. They judge content, never
 * style: capitals, accents and missing punctuation are all fine.
 */
import { z } from 'zod';
import { cleanText, hasWords, normalize } from '../nlu/normalize.js';
import { MAX_FIELD_LENGTH, PILLARS, type Pillar } from '../types.js';
import type { ProposalForm, Territories } from '../content/schema.js';

export type Reason = keyof ProposalForm['reasons'];
export type Validation<T> = { ok: true; value: T } | { ok: false; reason: Reason };

const ok = <T>(value: T): Validation<T> => ({ ok: true, value });
const fail = (reason: Reason): Validation<never> => ({ ok: false, reason });

/** Free text between `min` and {@link MAX_FIELD_LENGTH} characters, with at least one letter or digit. */
export function freeText(input: string, min: number): Validation<string> {
  const text = cleanText(input);
  if (!text) return fail('empty');
  if (!hasWords(text)) return fail('no_letters');
  if (text.length > MAX_FIELD_LENGTH) return fail('too_long');
  if (text.replace(/[^\p{L}\p{N}]/gu, '').length < min) return fail('too_short');
  return ok(text);
}

/** Pillar numbers and names as people write them, folded. */
const PILLAR_WORDS: [string, Pillar][] = [
  ['transparencia', 'transparency'],
  ['acceso a la informacion', 'transparency'],
  ['participacion', 'participation'],
  ['rendicion de cuentas', 'accountability'],
  ['rendicion', 'accountability'],
  ['cuentas', 'accountability'],
  ['colaboracion', 'collaboration'],
  ['innovacion', 'innovation'],
  ['tecnologia', 'innovation'],
];

/** One or more pillars, by number (1-5) or name: "1 y 3", "transparencia, participación". */
export function pillars(input: string): Validation<Pillar[]> {
  if (!cleanText(input)) return fail('empty');
  // Digits are read from the raw text: normalising drops them.
  const found = new Set<Pillar>();
  for (const m of input.matchAll(/\d+/g)) {
    const n = Number(m[0]);
    if (n < 1 || n > PILLARS.length) return fail('unknown_pillar');
    found.add(PILLARS[n - 1]!);
  }
  const folded = ` ${normalize(input)} `;
  if (/\btod[oa]s\b/.test(folded)) PILLARS.forEach((p) => found.add(p));
  for (const [word, pillar] of PILLAR_WORDS) if (folded.includes(` ${word}`)) found.add(pillar);
  if (!found.size) return fail('unknown_pillar');
  return ok(PILLARS.filter((p) => found.has(p)));
}

/** Folds a place name and drops a leading "región de": "Región del Maule" → "maule". */
const placeKey = (s: string) => normalize(s).replace(/^(la |el )?region (de |del |de la )?/, '');

/**
 * "Nacional", a region, or a commune. A region is recognised by its name after the word
 * "región", or by an alias no commune shares ("RM", "Ñuble"); anything else is taken as a
 * commune as written (there are 346; Valparaíso alone means the commune). A region is given
 * its official name.
 */
export function territory(input: string, territories: Territories): Validation<string> {
  const text = cleanText(input);
  if (!text) return fail('empty');
  if (!hasWords(text)) return fail('no_letters');
  const key = placeKey(text);
  if (territories.national.some((n) => normalize(n) === normalize(text))) return ok(territories.national[0]!);
  const saidRegion = normalize(text).startsWith('region');
  const region = territories.regions.find(
    (r) => (saidRegion && placeKey(r.name) === key) || r.aliases.some((a) => normalize(a) === normalize(text)),
  );
  if (region) return ok(region.name);
  if (text.length > 80 || key.replace(/ /g, '').length < 3) return fail('unknown_territory');
  return ok(text);
}

const emailSchema = z.email();

export function email(input: string): Validation<string> {
  const text = cleanText(input).toLowerCase();
  if (!text) return fail('empty');
  return emailSchema.safeParse(text).success ? ok(text) : fail('invalid_email');
}

const YES = new Set(['si', 'sip', 'ya', 'ok', 'dale', 'claro', 'bueno', 'de acuerdo', 'acepto', 'confirmo', 'yes', 'por supuesto', 'si acepto', 'si claro', 'ya po', 'oka', 'okey', 'vale', 'si confirmo']);
const NO = new Set(['no', 'nop', 'nope', 'no gracias', 'prefiero no', 'no acepto', 'nada', 'no quiero', 'mejor no', 'no po']);

export function yesNo(input: string): Validation<boolean> {
  const folded = normalize(input);
  if (YES.has(folded)) return ok(true);
  if (NO.has(folded)) return ok(false);
  return fail('yes_or_no');
}
