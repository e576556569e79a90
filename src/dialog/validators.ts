/**
 * Validators for the proposal's answers. Each returns the cleaned value or a reason code; the
 * form turns the reason into a re-ask from `data/proposal-form.yaml`. They judge content, never
 * style: capitals, accents and missing punctuation are all fine.
 */
import { z } from 'zod';
import { cleanText, hasWords, normalize } from '../nlu/normalize.js';
import { MAX_FIELD_LENGTH, PILLARS, type Pillar } from '../types.js';
import type { ProposalForm } from '../content/schema.js';
import type { TerritoryCatalog } from '../territory/catalog.js';
import { matchTerritory } from '../territory/match.js';
import { Vocabulary } from '../nlu/vocabulary.js';

export type Reason = keyof ProposalForm['reasons'];
/** A failure may name what the person probably meant (`did_you_mean`), offered as options. */
export type Validation<T> = { ok: true; value: T } | { ok: false; reason: Reason; suggestions?: string[] };

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
/** The pillars' words, for typo tolerance as the classifier has it ("transparensia", "particpacion"). */
const PILLAR_VOCABULARY = new Vocabulary(PILLAR_WORDS.flatMap(([words]) => words.split(' ')));

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
  const corrected = normalize(input).split(' ').map((w) => PILLAR_VOCABULARY.resolve(w) ?? w);
  const folded = ` ${corrected.join(' ')} `;
  if (/\btod[oa]s\b/.test(folded)) PILLARS.forEach((p) => found.add(p));
  for (const [word, pillar] of PILLAR_WORDS) if (folded.includes(` ${word}`)) found.add(pillar);
  if (!found.size) return fail('unknown_pillar');
  return ok(PILLARS.filter((p) => found.has(p)));
}

/**
 * "Nacional", a region or a commune (src/territory/match.ts: numbers, Roman numerals, ordinals,
 * aliases, typos), stored under its official name. Anything else is refused, with the closest
 * names when there are some ("¿Quisiste decir Valparaíso o Vallenar?").
 */
export function territory(input: string, places: TerritoryCatalog): Validation<string> {
  const text = cleanText(input);
  if (!text) return fail('empty');
  if (!hasWords(text)) return fail('no_letters');
  const match = matchTerritory(text, places);
  if (match.kind === 'found') return ok(match.name);
  return match.suggestions.length ? { ok: false, reason: 'did_you_mean', suggestions: match.suggestions } : fail('unknown_territory');
}

/** The re-ask for a failure, with its suggestions written in: "¿Quisiste decir Renca o Requínoa?". */
export function reasonText(reasons: ProposalForm['reasons'], failure: { reason: Reason; suggestions?: string[] }): string {
  const names = failure.suggestions ?? [];
  // Spanish writes "u" for "or" before an o sound: "Vallenar u Ovalle".
  const or = /^h?[oó]/i.test(names.at(-1) ?? '') ? 'u' : 'o';
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} ${or} ${names.at(-1)}` : (names[0] ?? '');
  return reasons[failure.reason].replace('{options}', list);
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
