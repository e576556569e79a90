/**
 * Fills `{{fact.id}}` and `{{fact.id|as_of}}` placeholders in answers from `data/knowledge.yaml`,
 * so a figure that changes is edited in one place and always says as of when it holds.
 */
import type { Fact } from '../content/schema.js';

const PLACEHOLDER = /\{\{\s*([a-z0-9_.]+)\s*(?:\|\s*(as_of)\s*)?\}\}/g;

export interface Placeholder {
  id: string;
  part: 'value' | 'as_of';
}

export function placeholders(text: string): Placeholder[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ id: m[1]!, part: m[2] ? 'as_of' : 'value' }));
}

/** Replaces every placeholder; content validation guarantees each id exists. */
export function fillFacts(text: string, facts: Record<string, Fact>): string {
  return text.replace(PLACEHOLDER, (whole, id: string, part?: string) => {
    const fact = facts[id];
    if (!fact) return whole;
    return part ? (fact.as_of ?? '') : fact.value;
  });
}

/** Fills `{name}` slots in the bot's own sentences. */
export function fillSlots(text: string, slots: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in slots ? String(slots[name]) : whole));
}
