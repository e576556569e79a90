/**
 * The consultation's time zone (`timezone` in data/consultation.yaml), read on its own for the
 * settings, which are read before the content is loaded and validated.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from './yaml.js';

/** As the content schema defaults it. */
export const DEFAULT_TIMEZONE = 'America/Santiago';

/** The `timezone` of `<contentDir>/data/consultation.yaml`, or the default when the file does not say (loading the content reports a broken file). */
export function consultationTimezone(contentDir: string): string {
  try {
    const doc: unknown = parseYaml(readFileSync(join(contentDir, 'data', 'consultation.yaml'), 'utf8'));
    const zone = doc && typeof doc === 'object' ? (doc as { timezone?: unknown }).timezone : undefined;
    return typeof zone === 'string' && zone.trim() ? zone.trim() : DEFAULT_TIMEZONE;
  } catch {
    return DEFAULT_TIMEZONE;
  }
}
