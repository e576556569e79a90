/**
 * Content YAML, read one way everywhere: the YAML 1.2 core schema, so a date such as
 * `2026-11-16` stays text for the schemas to check (js-yaml's default schema would make it a
 * Date), and a duplicated key is an error, not a silent overwrite.
 */
import { CORE_SCHEMA, load } from 'js-yaml';

export { YAMLException } from 'js-yaml';

export function parseYaml(text: string): unknown {
  return load(text, { schema: CORE_SCHEMA });
}
