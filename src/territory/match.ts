/**
 * Which place an answer to "¿Para qué territorio es?" names: "Nacional", a region (by number,
 * Roman numeral, ordinal, name after "región", or alias), a commune (by name or alias, with typos
 * tolerated), or a few of them ("Renca y Quilicura"). When it names none, the closest names, to
 * ask again with.
 *
 * @example matchTerritory('la octava region', catalog) // { kind: 'found', name: 'Región del Biobío', … }
 */
import { damerauLevenshtein, jaroWinklerSimilarity } from '../nlu/natural.js';
import { placeKey, saidRegionKey, spaced, type CommunePlace, type Place, type PlaceName, type RegionPlace, type TerritoryCatalog } from './catalog.js';

export type TerritoryMatch =
  /** `name` is what to store: the official name, or several joined with ", ". */
  | { kind: 'found'; places: Place[]; name: string }
  /** Labels of the closest places (at most three, each recognised when sent back); maybe none. */
  | { kind: 'unknown'; suggestions: string[] };

const MAX_SUGGESTIONS = 3;
/** "Renca, Quilicura y Lampa" is a few places; a longer list is not an answer we can store well. */
const MAX_PLACES = 5;

export function matchTerritory(text: string, catalog: TerritoryCatalog): TerritoryMatch {
  const whole = exact(text, catalog);
  if (whole) return found([whole]);

  const parts = text.split(/\s*(?:[,;/+&]|\s(?:y|e)\s|\s-\s)\s*/i).filter((p) => placeKey(p));
  if (parts.length > 1 && parts.length <= MAX_PLACES) {
    const places = parts.map((p) => exact(p, catalog) ?? fuzzy(p, catalog).place);
    if (places.every((p): p is Place => p !== undefined)) return found(places);
  }

  const near = fuzzy(text, catalog);
  if (near.place) return found([near.place]);
  return { kind: 'unknown', suggestions: near.suggestions };
}

/** Several places as one answer: "national" swallows the rest, and a region listed beside one of its communes is dropped. */
function found(places: Place[]): TerritoryMatch {
  const unique = [...new Set(places)];
  const national = unique.find((p) => p.kind === 'national');
  const kept = national ? [national] : unique.filter((p) => p.kind !== 'region' || !unique.some((c) => c.kind === 'commune' && c.region === p));
  return { kind: 'found', places: kept, name: kept.map((p) => p.name).join(', ') };
}

/** Words before the place that say nothing about it: "es para la comuna de Renca" → "renca". */
const LEAD_IN = /^(?:(?:es|son|seria|para|en|de|desde|vivo en|soy de)\s+)*(?:(?:(?:la|las|mi|nuestra)\s+)?(?:comuna|comunas|ciudad|localidad|municipalidad|municipio)\s+(?:de\s+)?(?=\S))?/;

/** The answer folded, without its lead-in, with a trailing "región" moved to the front. */
function tidy(text: string): string {
  const s = spaced(text).replace(LEAD_IN, '');
  return s.endsWith(' region') ? `region ${s.slice(0, -' region'.length)}` : s;
}

const saidRegion = (s: string) => /(?:^| )region(?: |$)/.test(s);

function exact(text: string, catalog: TerritoryCatalog): Place | undefined {
  const s = tidy(text);
  const key = placeKey(s);
  if (!key) return undefined;
  if (catalog.nationalKeys.has(key)) return catalog.national;
  const number = regionNumber(s, text);
  if (number !== undefined) return catalog.regionByNumber.get(number);
  if (saidRegion(s)) return catalog.regionBySaidName.get(saidRegionKey(s)) ?? catalog.regionByAlias.get(key);
  return catalog.regionByAlias.get(key) ?? catalog.communeByKey.get(key);
}

const ROMAN: Record<string, number> = Object.fromEntries(
  ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x', 'xi', 'xii', 'xiii', 'xiv', 'xv', 'xvi'].map((r, i) => [r, i + 1]),
);

/** Ordinals as people write a region's number, masculine and feminine, with and without spaces. */
const ORDINALS: Record<string, number> = (() => {
  const stems: [string[], number][] = [
    [['primer', 'primera', 'primero'], 1], [['segunda', 'segundo'], 2], [['tercer', 'tercera', 'tercero'], 3],
    [['cuarta', 'cuarto'], 4], [['quinta', 'quinto'], 5], [['sexta', 'sexto'], 6],
    [['septima', 'septimo', 'setima', 'setimo'], 7], [['octava', 'octavo'], 8], [['novena', 'noveno'], 9],
    [['decima', 'decimo'], 10], [['undecima', 'undecimo', 'decimoprimera', 'decimoprimero', 'onceava'], 11],
    [['duodecima', 'duodecimo', 'decimosegunda', 'decimosegundo', 'doceava'], 12],
    [['decimotercera', 'decimotercero', 'treceava'], 13], [['decimocuarta', 'decimocuarto', 'catorceava'], 14],
    [['decimoquinta', 'decimoquinto', 'quinceava'], 15], [['decimosexta', 'decimosexto', 'dieciseisava'], 16],
  ];
  return Object.fromEntries(stems.flatMap(([words, n]) => words.map((w) => [w, n])));
})();

const NUMBER_FILLER = new Set(['la', 'el', 'region', 'de', 'del', 'n', 'no', 'nro', 'numero', 'num']);

/**
 * The region number an answer states: "8", "región 8", "8va región", "VIII", "la octava región",
 * "región N° 8". A lone I, V or X counts only in capitals or after "región" (a lone "x" is not a
 * region). Numbers outside 1–16 ("123") are no region.
 */
function regionNumber(s: string, raw: string): number | undefined {
  const tokens = s.split(' ').filter((t) => !NUMBER_FILLER.has(t));
  if (!tokens.length || tokens.length > 2) return undefined;
  const word = tokens.join('');
  const digits = /^(\d{1,3})(?:a|va|ra|da|ta|na|ma|o|er|era|ero|ava)?$/.exec(word);
  let n: number | undefined;
  if (digits) n = Number(digits[1]);
  else if (ROMAN[word] && (word.length > 1 || saidRegion(s) || /(?:^|[^\p{L}])[IVX](?:$|[^\p{L}])/u.test(raw))) n = ROMAN[word];
  else n = ORDINALS[word];
  if (n === undefined) return undefined;
  return n >= 1 && n <= 16 ? n : 0;
}

/** Edits tolerated for a name of this many letters: none under 4, then 1, 2, 3. */
function tolerance(length: number): number {
  if (length < 4) return -1;
  if (length <= 5) return 1;
  if (length <= 9) return 2;
  return 3;
}

/**
 * Jaro-Winkler similarity below which a name is not worth the Damerau-Levenshtein distance
 * (~70 µs a pair): real typos of a place score 0.85 or more ("kalama"/Calama 0.89).
 */
const MIN_SIMILARITY = 0.8;

/** Answers that say the person does not know or has no place: asked again plainly, never "¿Quisiste decir…?". */
const NON_ANSWERS = new Set(['nose', 'nolose', 'nosabria', 'niidea', 'nada', 'ninguna', 'ninguno', 'noaplica', 'na', 'cualquiera', 'daigual', 'todas', 'todos', 'micomuna', 'mibarrio', 'miciudad', 'aqui', 'aca']);

/** Letter and digit counts: half their difference is a lower bound of the edit distance, and cheap. */
function histogram(key: string): Uint8Array {
  const h = new Uint8Array(36);
  for (const ch of key) {
    const code = ch.charCodeAt(0);
    h[code >= 97 ? code - 97 : code - 48 + 26]! += 1;
  }
  return h;
}
const histograms = new WeakMap<PlaceName, Uint8Array>();
function lowerBound(h: Uint8Array, name: PlaceName): number {
  let other = histograms.get(name);
  if (!other) histograms.set(name, (other = histogram(name.key)));
  let diff = 0;
  for (let i = 0; i < 36; i++) diff += Math.abs(h[i]! - other[i]!);
  return Math.ceil(diff / 2);
}

/**
 * `natural`'s Damerau-Levenshtein distance without the common start and end, which it would
 * only walk through (the distance is the same; the call costs ~70 µs on two 10-letter names).
 */
function distance(a: string, b: string): number {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return damerauLevenshtein(a.slice(start, a.length - end), b.slice(start, b.length - end));
}

/**
 * The place a misspelt answer surely means (one place is closest and close enough), else the
 * closest ones to suggest: one edit further than that if they start with the same letter, or
 * starting with what was typed ("Puente" → Puente Alto). Damerau-Levenshtein distance from
 * `natural`, computed only for names that two cheap checks leave in.
 */
function fuzzy(text: string, catalog: TerritoryCatalog): { place?: RegionPlace | CommunePlace; suggestions: string[] } {
  const s = tidy(text);
  if (!/[a-z]/.test(s)) return { suggestions: [] };
  const said = saidRegion(s);
  const key = said ? saidRegionKey(s) : placeKey(s);
  const allowed = tolerance(key.length);
  if (allowed < 0 || NON_ANSWERS.has(key)) return { suggestions: [] };
  const near = key.length >= 6 ? allowed + 1 : allowed;
  const h = histogram(key);

  const best = new Map<RegionPlace | CommunePlace, number>();
  for (const n of said ? catalog.saidRegionNames : catalog.names) {
    let d: number;
    if (key.length >= 4 && n.key.startsWith(key)) d = 0.5;
    else if (lowerBound(h, n) > near || jaroWinklerSimilarity(key, n.key) < MIN_SIMILARITY) continue;
    else {
      d = distance(key, n.key);
      if (d > near || (d > allowed && n.key[0] !== key[0])) continue;
    }
    if (d < (best.get(n.place) ?? Infinity)) best.set(n.place, d);
  }
  const ranked = [...best].sort((a, b) => a[1] - b[1] || a[0].name.localeCompare(b[0].name, 'es'));
  const [first, second] = ranked;
  if (first && Number.isInteger(first[1]) && first[1] <= allowed && (!second || second[1] > first[1])) return { place: first[0], suggestions: [] };
  return { suggestions: ranked.slice(0, MAX_SUGGESTIONS).map(([p]) => p.label) };
}
