import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/content/yaml.js';
import { communesSchema } from '../../src/content/schema.js';
import { buildCatalog, placeKey } from '../../src/territory/catalog.js';
import { inTerritory } from '../../src/territory/filter.js';
import { matchTerritory } from '../../src/territory/match.js';
import { MAX_OPTION_LENGTH } from '../../src/types.js';
import { content, ROOT } from '../helpers/conversation.js';

const places = () => content().places;
const named = (text: string) => {
  const m = matchTerritory(text, places());
  return m.kind === 'found' ? m.name : undefined;
};
const suggested = (text: string) => {
  const m = matchTerritory(text, places());
  return m.kind === 'unknown' ? m.suggestions : undefined;
};

describe("Chile's communes (data/communes.yaml)", () => {
  const file = communesSchema.parse(parseYaml(readFileSync(join(ROOT, 'data', 'communes.yaml'), 'utf8')));

  it('has the 346 communes of the DPA, each region with its own count, a source, and no duplicates', () => {
    expect(file.source).toMatch(/SUBDERE/);
    expect(file.regions.reduce((n, r) => n + r.communes.length, 0)).toBe(346);
    const counts = Object.fromEntries(file.regions.map((r) => [r.region, r.communes.length]));
    expect(counts).toEqual({
      'Región de Arica y Parinacota': 4,
      'Región de Tarapacá': 7,
      'Región de Antofagasta': 9,
      'Región de Atacama': 9,
      'Región de Coquimbo': 15,
      'Región de Valparaíso': 38,
      'Región Metropolitana de Santiago': 52,
      "Región del Libertador General Bernardo O'Higgins": 33,
      'Región del Maule': 30,
      'Región de Ñuble': 21,
      'Región del Biobío': 33,
      'Región de La Araucanía': 32,
      'Región de Los Ríos': 12,
      'Región de Los Lagos': 30,
      'Región de Aysén del General Carlos Ibáñez del Campo': 10,
      'Región de Magallanes y de la Antártica Chilena': 11,
    });
    for (const r of file.regions) {
      expect(new Set(r.communes.map((c) => placeKey(c.name))).size, r.region).toBe(r.communes.length);
      expect(new Set(r.communes.map((c) => c.cut)).size, r.region).toBe(r.communes.length);
    }
    expect(new Set(file.regions.flatMap((r) => r.communes.map((c) => c.cut))).size).toBe(346);
  });

  it('offers every place under a label of at most 20 characters that means that place when sent back', () => {
    const { communes, regions } = places();
    for (const p of [...communes, ...regions]) {
      expect(p.label.length, p.name).toBeLessThanOrEqual(MAX_OPTION_LENGTH);
      expect(named(p.label), p.label).toBe(p.name);
    }
  });

  it('refuses a communes file that puts a commune under the wrong region or names one place twice', () => {
    const { territories } = content();
    const moved = structuredClone(file);
    moved.regions[0]!.communes.push({ cut: '13401', name: 'San Bernardo', aliases: [] });
    expect(() => buildCatalog(territories, moved)).toThrow(/San Bernardo \(13401\) is listed under Región de Arica y Parinacota/);
    const twice = structuredClone(file);
    twice.regions[1]!.communes.push({ cut: '01199', name: 'Renca', aliases: [] });
    expect(() => buildCatalog(territories, twice)).toThrow(/"renca" names both Renca \(01199\) and Renca \(13128\)/);
  });
});

describe('matchTerritory', () => {
  it.each([
    ['Nacional', 'Nacional'],
    ['todo chile', 'Nacional'],
    // Regions by number, Roman numeral, ordinal, name after "región", or alias.
    ['la octava region', 'Región del Biobío'],
    ['8', 'Región del Biobío'],
    ['región 8', 'Región del Biobío'],
    ['8va región', 'Región del Biobío'],
    ['8ª región', 'Región del Biobío'],
    ['VIII', 'Región del Biobío'],
    ['región VIII', 'Región del Biobío'],
    ['Bío Bío', 'Región del Biobío'],
    ['quinta región', 'Región de Valparaíso'],
    ['Región de Valparaíso', 'Región de Valparaíso'],
    ['V región', 'Región de Valparaíso'],
    ['X', 'Región de Los Lagos'],
    ['region de los lagos', 'Región de Los Lagos'],
    ['RM', 'Región Metropolitana de Santiago'],
    ['metropolitana', 'Región Metropolitana de Santiago'],
    ['región 13', 'Región Metropolitana de Santiago'],
    ['decimosexta región', 'Región de Ñuble'],
    ['nuble', 'Región de Ñuble'],
    ['Aysén', 'Región de Aysén del General Carlos Ibáñez del Campo'],
    // A bare name that is a commune means the commune.
    ['Valparaíso', 'Valparaíso'],
    ['maule', 'Maule'],
    ['los lagos', 'Los Lagos'],
    ['puerto aysen', 'Aysén'],
    // Communes by official name, without accents, or by the names people use.
    ['Renca', 'Renca'],
    ['penalolen', 'Peñalolén'],
    ['NUNOA', 'Ñuñoa'],
    ['valpo', 'Valparaíso'],
    ['conce', 'Concepción'],
    ['stgo', 'Santiago'],
    ['santiago centro', 'Santiago'],
    ['antofa', 'Antofagasta'],
    ['la serena', 'La Serena'],
    ['pta arenas', 'Punta Arenas'],
    ['viña', 'Viña del Mar'],
    ['coihaique', 'Coyhaique'],
    ['PAC', 'Pedro Aguirre Cerda'],
    ['es para la comuna de renca', 'Renca'],
    ['en la florida', 'La Florida'],
    // Typos.
    ['puente alro', 'Puente Alto'],
    ['valparaizo', 'Valparaíso'],
    ['temuko', 'Temuco'],
    ['kalama', 'Calama'],
    ['conception', 'Concepción'],
    ['araucaina', 'Región de La Araucanía'],
    // A few places at once; a region beside one of its communes adds nothing.
    ['Renca y Quilicura', 'Renca, Quilicura'],
    ['San Bernardo, Región Metropolitana', 'San Bernardo'],
    ['Arica y Parinacota', 'Región de Arica y Parinacota'],
  ])('reads %j as %s', (text, name) => {
    expect(named(text)).toBe(name);
  });

  it.each(['asdf qwerty', 'no se', 'no sé', '123', 'mi comuna', 'region 17', '0', 'x', 'nada', 'ninguna', 'no aplica', 'mi barrio', 'san'])(
    'refuses %j without guessing',
    (text) => {
      expect(suggested(text)).toEqual([]);
    },
  );

  it.each([
    ['valle', ['Vallenar', 'Ovalle']],
    ['puente', ['Puente Alto']],
  ])('suggests the closest names for %j', (text, expected) => {
    expect(suggested(text)).toEqual(expect.arrayContaining(expected));
    expect(suggested(text)!.length).toBeLessThanOrEqual(3);
  });
});

describe('inTerritory (staff and public filters)', () => {
  it('finds the communes of a region, a commune under any spelling, and text inside older answers', () => {
    const stored = ['San Bernardo', 'Renca, Quilicura', 'Concepción', 'Región Metropolitana de Santiago', 'Nacional', 'mi barrio en Lampa'];
    const find = (query: string) => stored.filter(inTerritory(query, places()));
    expect(find('metropolitana')).toEqual(['San Bernardo', 'Renca, Quilicura', 'Región Metropolitana de Santiago']);
    expect(find('RM')).toEqual(['San Bernardo', 'Renca, Quilicura', 'Región Metropolitana de Santiago']);
    expect(find('8')).toEqual(['Concepción']);
    expect(find('conce')).toEqual(['Concepción']);
    expect(find('quilicura')).toEqual(['Renca, Quilicura']);
    expect(find('nacional')).toEqual(['Nacional']);
    expect(find('lampa')).toEqual(['mi barrio en Lampa']);
  });
});
