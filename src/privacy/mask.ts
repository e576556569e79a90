/**
 * Personal data that people type into free text (their own or someone else's), replaced by a
 * label before anything is published or after a person asks to be forgotten. Over-masking a
 * word is a small loss; publishing a phone number is not, so cues err on the side of masking.
 * What no pattern catches (a name without a cue) is left to staff moderation.
 */
import { findNumbers } from 'libphonenumber-js/max';
import { LRUCache } from 'lru-cache';

/** Labels that replace what was masked; they are also what a reader sees in published text. */
export const MASK = {
  email: '[correo]',
  rut: '[RUT]',
  phone: '[teléfono]',
  name: '[nombre]',
  address: '[dirección]',
  account: '[cuenta]',
  card: '[tarjeta]',
  plate: '[patente]',
} as const;

const L = String.raw`[\p{L}\p{M}]`;
const UPPER_WORD = String.raw`\p{Lu}[\p{L}\p{M}'’-]*`;
/** A name: capitalised words, with the particles Spanish names carry in between ("de la", "del", "y"). */
const NAME = String.raw`${UPPER_WORD}(?:\s+(?:(?:de|del|la|las|los|y|van|von)\s+)*${UPPER_WORD}){0,4}`;

const EMAIL = /[\p{L}\p{N}._%+-]+\s?@\s?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/** "maria (arroba) gmail.com", "maria [arroba] gmail punto com", "maria arroba gmail . com". */
const EMAIL_SPELLED = new RegExp(
  String.raw`[\p{L}\p{N}._%+-]+\s*(?:\(\s*(?:arroba|at)\s*\)|\[\s*(?:arroba|at)\s*\]|\{\s*arroba\s*\}|\s(?:arroba|ARROBA)\s)\s*` +
    String.raw`[\p{L}\p{N}-]+(?:\s*(?:\.|\(\s*punto\s*\)|\[\s*punto\s*\]|\s(?:punto|dot)\s)\s*[\p{L}\p{N}-]+)+`,
  'gu',
);
/** RUT with a dash before the check digit, any grouping: 12.345.678-5, 12 345 678 - 5, 12,345,678-K. */
const RUT_DASHED = /(?<![\p{L}\p{N}])\d{1,2}(?:[.,\s]?\d{3}){2}\s*[-‐–]\s*[\dkK](?![\p{L}\p{N}])/gu;
/** RUT without a dash counts only when its check digit is right (otherwise it may be any number). */
const RUT_PLAIN = /(?<![\p{L}\p{N}.,-])(\d{1,2}(?:\.\d{3}){2}|\d{7,8})([\dkK])(?![\p{L}\p{N}])/gu;
const ACCOUNT = new RegExp(
  String.raw`((?:[Cc]uenta|[Cc]ta\.?)(?:\s+(?:[Cc]orriente|[Cc]te\.?|[Vv]ista|RUT|[Rr]ut|de\s+ahorros?|bancaria|[Nn]°|[Nn]º|[Nn]ro\.?|[Nn]úmero))*\s*[:#]?\s*)\d[\d\s.-]{4,22}\d`,
  'gu',
);
const CARD = /(?<![\p{N}])(?:\d[ -]?){12,18}\d(?![\p{N}])/gu;
/** Street type, name and number: "pasaje Los Aromos 1234", "Av. Grecia #2040, depto 31". */
const ADDRESS = new RegExp(
  String.raw`(?:\b(?:[Cc]alle|[Pp]asaje|[Pp]sje\.?|[Pp]je\.?|[Aa]venida|[Aa]vda\.?|[Aa]v\.|[Cc]amino|[Vv]illa|[Pp]oblación|[Cc]ondominio)` +
    String.raw`|(?:[Vv]ivo\s+en|[Mm]i\s+(?:casa|dirección|domicilio)\s+(?:es|está\s+en|queda\s+en)))` +
    String.raw`\s+(?:${L}[\p{L}\p{M}.'’]*\s+){0,5}(?:#\s*|[Nn][°º.]\s*|número\s+)?\d{1,5}(?![\p{N}]|\.\d)` +
    String.raw`(?:\s*,?\s*(?:depto\.?|dpto\.?|departamento|casa|block|torre)\s*[\p{L}\p{N}-]+)?`,
  'gu',
);
/** Chilean plates: BBBB·12 (since 2007) and AB·1234 (older). Not the "GA-2027" of a tracking number. */
const PLATE = /(?<![\p{L}\p{N}-])(?:[B-DF-HJ-LPR-TV-Z]{2}[\s.·-]?[B-DF-HJ-LPR-TV-Z]{2}[\s.·-]?\d{2}|[A-Z]{2}[\s.·-]?\d{2}[\s.·-]?\d{2})(?![\p{L}\p{N}]|[-‐–.]\d)/gu;
const PLATE_CUED = /(\b[Pp]atente\s*:?\s*)[A-Za-z]{2,4}[\s.·-]?\d{2,4}\b/gu;
/** A name after the words people put before one: self-introductions, honorifics, "llamar a". */
const NAME_CUED = new RegExp(
  String.raw`((?:^|[^\p{L}])(?:[Mm]e\s+llamo|[Mm]i\s+nombre\s+es|[Ss]oy|[Hh]abla|[Ll]es?\s+saluda|[Aa]tte\.?|[Aa]tentamente,?|[Ff]irma:?|` +
    String.raw`[Ss]r\.?|[Ss]ra\.?|[Ss]rta\.?|[Ss]eñora?|[Ss]eñorita|[Dd]on|[Dd]oña|[Ee]stimad[oa]s?|[Qq]uerid[oa]s?|` +
    String.raw`[Ll]lamar\s+a|[Ll]lamen\s+a|[Cc]ontactar\s+a|[Cc]ontacten\s+a|[Hh]ablar\s+con|[Pp]reguntar\s+por|[Pp]regunten\s+por|[Ee]scribir\s+a)` +
    String.raw`[\s:,]+)${NAME}`,
  'gu',
);

const TRACKING = /[A-Z]{2}-\d{4}-\d{6}/g;

function rutCheckDigit(body: string): string {
  let sum = 0;
  let factor = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += Number(body[i]) * factor;
    factor = factor === 7 ? 2 : factor + 1;
  }
  const digit = 11 - (sum % 11);
  return digit === 11 ? '0' : digit === 10 ? 'K' : String(digit);
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Phone numbers as libphonenumber-js finds them, with Chile as the default country. Its lenient
 * mode is needed for spacings like "+56 9 87 65 43 31"; a Chilean match must then have the
 * nine digits of a real number, and tracking numbers are never phones.
 */
function maskPhones(text: string): string {
  const protectedRanges = [...text.matchAll(TRACKING)].map((m) => [m.index, m.index + m[0].length] as const);
  // `leniency` is an option of the library's PhoneNumberMatcher that its type declarations omit.
  const options = { defaultCountry: 'CL', v2: true, leniency: 'POSSIBLE' } as { defaultCountry: 'CL'; v2: true };
  const found = findNumbers(text, options);
  let out = '';
  let last = 0;
  for (const match of found) {
    const { startsAt, endsAt, number } = match;
    if (protectedRanges.some(([from, to]) => startsAt < to && endsAt > from)) continue;
    const chilean = number.countryCallingCode === '56';
    if (chilean ? number.nationalNumber.length !== 9 : !number.isValid()) continue;
    out += text.slice(last, startsAt) + MASK.phone;
    last = endsAt;
  }
  return out + text.slice(last);
}

/**
 * Results pages and open-data files mask the same texts again and again (10,000 proposals, each
 * rebuilt after any change): remember the masked form of recent texts. The function is pure, so
 * a remembered result is never stale; the bound is on characters held.
 */
const masked = new LRUCache<string, string>({ maxSize: 32_000_000, sizeCalculation: (value, key) => value.length + key.length + 1 });

/** Replaces phones, emails, RUTs, names after introductions, addresses, accounts, cards and plates with labels. */
export function maskPersonalData(text: string): string {
  let out = masked.get(text);
  if (out === undefined) {
    out = maskNow(text);
    masked.set(text, out);
  }
  return out;
}

function maskNow(text: string): string {
  let out = text
    .replace(EMAIL_SPELLED, MASK.email)
    .replace(EMAIL, MASK.email)
    .replace(ACCOUNT, `$1${MASK.account}`)
    .replace(RUT_DASHED, MASK.rut)
    .replace(RUT_PLAIN, (all, body: string, check: string) =>
      rutCheckDigit(body.replace(/\./g, '')) === check.toUpperCase() ? MASK.rut : all,
    )
    .replace(CARD, (all) => (luhn(all.replace(/\D/g, '')) ? MASK.card : all));
  out = maskPhones(out);
  return out
    .replace(PLATE_CUED, `$1${MASK.plate}`)
    .replace(PLATE, MASK.plate)
    .replace(ADDRESS, MASK.address)
    .replace(NAME_CUED, `$1${MASK.name}`);
}
