/**
 * Chile's territories as the matcher reads them: "national", the 16 regions and the 346
 * communes (data/territories.yaml and data/communes.yaml), each under every name people use for
 * it, folded for comparison. Built once, when the content is loaded.
 */
import type { Communes, Territories } from '../content/schema.js';
import { MAX_OPTION_LENGTH } from '../types.js';

export interface NationalPlace {
  kind: 'national';
  name: string;
}
export interface RegionPlace {
  kind: 'region';
  /** The official name, which is what gets stored: "Región del Biobío". */
  name: string;
  cut: string;
  /** The region's number as people say it ("la octava", "VIII", "8"): its CUT code. */
  number: number;
  /** What an option offering it says (at most 20 characters, and it is recognised when sent back). */
  label: string;
}
export interface CommunePlace {
  kind: 'commune';
  name: string;
  cut: string;
  region: RegionPlace;
  label: string;
}
export type Place = NationalPlace | RegionPlace | CommunePlace;

/** A name a place is known by, for typo-tolerant matching. */
export interface PlaceName {
  key: string;
  place: RegionPlace | CommunePlace;
}

export interface TerritoryCatalog {
  national: NationalPlace;
  nationalKeys: Set<string>;
  regions: RegionPlace[];
  regionByNumber: Map<number, RegionPlace>;
  /** Region names and aliases with "región de" dropped, for answers that said "región". */
  regionBySaidName: Map<string, RegionPlace>;
  /** Region aliases, as a bare answer: they win over a commune of the same name. */
  regionByAlias: Map<string, RegionPlace>;
  communes: CommunePlace[];
  communeByKey: Map<string, CommunePlace>;
  communesOf: Map<RegionPlace, CommunePlace[]>;
  /** Every bare name (commune names and aliases, region aliases), for typo tolerance. */
  names: PlaceName[];
  /** Region names and aliases as said after "región", for typo tolerance there. */
  saidRegionNames: PlaceName[];
}

/** Lower case, no accents (ñ → n), `ª`/`º` as letters, anything else between words as one space. */
export function spaced(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The comparison key: {@link spaced} without spaces, so "Bío Bío", "biobio" and "Bío-Bío" are one. */
export function placeKey(text: string): string {
  return spaced(text).replace(/ /g, '');
}

const REGION_PREFIX = /^(?:(?:la|el) )?region (?:(?:de|del) (?:(?:la|los|las) )?)?/;

/** The key of a region's name after the word "región": "Región de Los Ríos" → "rios". */
export function saidRegionKey(text: string): string {
  return placeKey(spaced(text).replace(REGION_PREFIX, ''));
}

const ROMAN = ['', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV', 'XVI'];
/** Roman numeral of a region number (1–16). */
export const roman = (n: number): string => ROMAN[n] ?? '';

export class CatalogError extends Error {}

/**
 * Builds the catalog and checks the two files agree: every region of territories.yaml has its
 * communes and no other, each commune's code starts with its region's, and no name means two
 * places. Throws a {@link CatalogError} naming the first problem.
 */
export function buildCatalog(territories: Territories, communes: Communes): TerritoryCatalog {
  const problem = (message: string): never => {
    throw new CatalogError(message);
  };
  const national: NationalPlace = { kind: 'national', name: territories.national[0]! };
  const nationalKeys = new Set(territories.national.map(placeKey));

  const regions: RegionPlace[] = territories.regions.map((r) => ({ kind: 'region', name: r.name, cut: r.cut, number: Number(r.cut), label: '' }));
  const regionByNumber = new Map<number, RegionPlace>();
  const regionBySaidName = new Map<string, RegionPlace>();
  const regionByAlias = new Map<string, RegionPlace>();
  const saidRegionNames: PlaceName[] = [];
  territories.regions.forEach((r, i) => {
    const region = regions[i]!;
    if (regionByNumber.has(region.number)) problem(`territories.yaml: region code ${r.cut} is used twice`);
    regionByNumber.set(region.number, region);
    for (const said of [r.name, ...r.aliases].map(saidRegionKey)) {
      const other = regionBySaidName.get(said);
      if (other && other !== region) problem(`territories.yaml: "${said}" names both ${other.name} and ${region.name}`);
      regionBySaidName.set(said, region);
      saidRegionNames.push({ key: said, place: region });
    }
    for (const alias of r.aliases.map(placeKey)) {
      const other = regionByAlias.get(alias);
      if (other && other !== region) problem(`territories.yaml: the alias "${alias}" names both ${other.name} and ${region.name}`);
      regionByAlias.set(alias, region);
    }
  });

  const regionByName = new Map(regions.map((r) => [r.name, r]));
  const communeByKey = new Map<string, CommunePlace>();
  const communesOf = new Map<RegionPlace, CommunePlace[]>(regions.map((r) => [r, []]));
  const names: PlaceName[] = [...regionByAlias].map(([key, place]) => ({ key, place }));
  const list: CommunePlace[] = [];
  const codes = new Set<string>();
  for (const group of communes.regions) {
    const region = regionByName.get(group.region) ?? problem(`communes.yaml: region "${group.region}" is not in territories.yaml`);
    if (communesOf.get(region)!.length) problem(`communes.yaml: region "${group.region}" is listed twice`);
    for (const c of group.communes) {
      if (!c.cut.startsWith(region.cut)) problem(`communes.yaml: ${c.name} (${c.cut}) is listed under ${region.name} (${region.cut})`);
      if (codes.has(c.cut)) problem(`communes.yaml: the code ${c.cut} is used twice`);
      codes.add(c.cut);
      const commune: CommunePlace = { kind: 'commune', name: c.name, cut: c.cut, region, label: '' };
      for (const key of new Set([c.name, ...c.aliases].map(placeKey))) {
        const other = communeByKey.get(key);
        if (other) problem(`communes.yaml: "${key}" names both ${other.name} (${other.cut}) and ${c.name} (${c.cut})`);
        communeByKey.set(key, commune);
        names.push({ key, place: commune });
      }
      const reachable = [c.name, ...c.aliases].find((n) => !regionByAlias.has(placeKey(n)) && !nationalKeys.has(placeKey(n)));
      if (!reachable) problem(`communes.yaml: ${c.name} (${c.cut}) has no name that is not a region's alias; add one to its aliases`);
      commune.label = reachable!;
      communesOf.get(region)!.push(commune);
      list.push(commune);
    }
  }
  for (const [region, own] of communesOf) if (!own.length) problem(`communes.yaml: ${region.name} has no communes`);

  for (const [i, r] of territories.regions.entries()) {
    const region = regions[i]!;
    // An option must be short and mean the region when sent back: its name if it fits and is
    // not a commune's, else its shortest alias that is not a commune's, else "Región VIII".
    const fits = (n: string) => n.length <= MAX_OPTION_LENGTH;
    const alias = r.aliases.filter((a) => fits(a) && regionByAlias.get(placeKey(a)) === region).sort((a, b) => a.length - b.length)[0];
    region.label = fits(r.name) ? r.name : (alias ?? `Región ${roman(region.number)}`);
  }
  return { national, nationalKeys, regions, regionByNumber, regionBySaidName, regionByAlias, communes: list, communeByKey, communesOf, names, saidRegionNames };
}
