/**
 * Filters by territory for staff and the public results: a query that names a region finds the
 * proposals of its communes too (`--territory metropolitana` finds San Bernardo), one that names
 * a commune or "nacional" finds it under any spelling ("valpo"), and any query still finds the
 * territories that contain its text (older answers were stored as written).
 */
import { placeKey, type TerritoryCatalog } from './catalog.js';
import { matchTerritory } from './match.js';

/** The official names a query stands for: a region with its communes, a commune, or "Nacional". */
export function territoryNames(query: string, catalog: TerritoryCatalog): Set<string> {
  const match = matchTerritory(query, catalog);
  if (match.kind !== 'found') return new Set();
  const names = new Set<string>();
  for (const place of match.places) {
    names.add(placeKey(place.name));
    if (place.kind === 'region') for (const c of catalog.communesOf.get(place) ?? []) names.add(placeKey(c.name));
  }
  return names;
}

/**
 * A test for stored territories ("San Bernardo", "Renca, Quilicura", "Región del Biobío")
 * against a query, without case or accents.
 *
 * @example proposals.filter((p) => inTerritory('metropolitana', catalog)(p.territory))
 */
export function inTerritory(query: string, catalog: TerritoryCatalog): (territory: string) => boolean {
  const names = territoryNames(query, catalog);
  const text = placeKey(query);
  return (territory) => placeKey(territory).includes(text) || territory.split(', ').some((part) => names.has(placeKey(part)));
}
