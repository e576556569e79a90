/**
 * Text clean-up in two strengths: `cleanText` keeps what a person wrote (for storage and
 * display), `normalize` folds it for matching (case, accents, punctuation, stretched letters,
 * chat spellings).
 */
import { tokenizer } from './natural.js';

// Default-ignorable code points (zero-width and bidi marks, fillers, tags, variation selectors,
// BOM), controls except tab and newline, and the blank look-alikes that are not formally ignorable
// (braille blank, replacement character): invisible, and a way to smuggle text past checks.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}\u2800\uFFFD]/gu;
const KEPT_CONTROLS = /[\t\n]/;
// Joiners, variation selectors and tags are how emoji are built (👩‍💻, ❤️, 1️⃣, 🏴󠁧󠁢󠁳󠁣󠁴󠁿): inside an emoji
// sequence they stay, everywhere else they go.
const EMOJI_SEQUENCE =
  /(?:[0-9#*]\uFE0F?\u20E3|\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F|[\u{E0020}-\u{E007E}]+\u{E007F})?(?:\u200D\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)?)*)/gu;

function stripInvisible(text: string): string {
  const strip = (part: string) => part.replace(INVISIBLE, (c) => (KEPT_CONTROLS.test(c) ? c : ''));
  let out = '';
  let last = 0;
  for (const m of text.matchAll(EMOJI_SEQUENCE)) {
    out += strip(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + strip(text.slice(last));
}

/**
 * Printable Latin-1 and single spaces: most Spanish text. It is already NFC and holds nothing
 * invisible (the soft hyphen, U+00AD, is left out), so only runs of spaces need tidying; the
 * full clean-up took about 40 ms of every start on the training examples.
 */
const PLAIN_LATIN1 = /^[\x21-\x7e\xa1-\xac\xae-\xff ]*$/;

/** Plain text as a person meant it: NFC, no invisible or control characters, tidy whitespace. */
export function cleanText(raw: string): string {
  if (PLAIN_LATIN1.test(raw)) return raw.replace(/ {2,}/g, ' ').trim();
  return stripInvisible(raw.normalize('NFC').replace(/\r\n?/g, '\n'))
    .replace(/[\u2028\u2029]/g, '\n')
    .replace(/[ \t\p{Zs}]+/gu, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** True when the text has at least one letter or digit (not only emoji, symbols or spaces). */
export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** Common chat spellings and abbreviations, mapped to the word they stand for. */
const CHAT_SPELLINGS: Record<string, string> = {
  q: 'que', k: 'que', ke: 'que', qe: 'que', xq: 'porque', pq: 'porque', porq: 'porque', xk: 'porque',
  pa: 'para', pal: 'para el', x: 'por', xa: 'para', d: 'de', tb: 'tambien', tmb: 'tambien', tbn: 'tambien',
  wena: 'buena', wenas: 'buenas', weno: 'bueno', wenos: 'buenos', ola: 'hola', hla: 'hola', holi: 'hola',
  xfa: 'por favor', xfavor: 'por favor', porfa: 'por favor', porfis: 'por favor', pls: 'por favor',
  grax: 'gracias', grcs: 'gracias', graxias: 'gracias', grasias: 'gracias', gracia: 'gracias', thx: 'gracias',
  bn: 'bien', msj: 'mensaje', info: 'informacion', cmo: 'como', dnd: 'donde', kiero: 'quiero', qiero: 'quiero',
  toy: 'estoy', tai: 'estas', estai: 'estas', sabi: 'sabes', cachai: 'entiendes', nose: 'no se', ns: 'no se',
  chao: 'chao', chau: 'chao', bye: 'chao', aca: 'aca', ud: 'usted', uds: 'ustedes', xd: '', jaja: '', jajaja: '',
  ogp: 'ogp', aga: 'ogp', mga: 'mesa gobierno abierto', ga: 'gobierno abierto', muni: 'municipalidad',
  gob: 'gobierno', gobno: 'gobierno', govierno: 'gobierno',
};

/**
 * Folds a message for matching: lower case, no accents (ñ becomes n, as people often type it),
 * punctuation to spaces, letters stretched three or more times squeezed ("holaaa" → "hola"),
 * chat spellings expanded.
 */
export function normalize(text: string): string {
  const folded = cleanText(text)
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/(\p{L})\1{2,}/gu, '$1');
  return tokenizer
    .tokenize(folded.replace(/_/g, ' '))
    .map((t) => CHAT_SPELLINGS[t] ?? t)
    .filter((t) => t.length > 0)
    .join(' ');
}

/**
 * `normalize` for the content's own texts (intent examples, fact questions, answers), kept for
 * the life of the process: the content check compares them and the classifier trains on them,
 * and folding some 10,000 texts twice was a tenth of every start. Never called with what people
 * send, so no message stays in memory.
 */
const contentTexts = new Map<string, string>();
export function normalizeContent(text: string): string {
  let folded = contentTexts.get(text);
  if (folded === undefined) contentTexts.set(text, (folded = normalize(text)));
  return folded;
}

/** The words of a normalised text. */
export function words(normalized: string): string[] {
  return normalized.length ? normalized.split(' ') : [];
}
