/** Patterns that are certain, checked before the classifier. */

// "GA-2026-000123", "ga2026000123", "GA 2026 123": any case, with or without separators.
const TRACKING_NUMBER = /\bga[\s._\-–]*(\d{4})[\s._\-–]*(\d{1,6})\b/i;

/** The tracking number in a text, in its canonical form `GA-2026-000123`, or undefined. */
export function findTrackingNumber(text: string): string | undefined {
  const m = TRACKING_NUMBER.exec(text);
  if (!m) return undefined;
  return formatTrackingNumber(Number(m[1]), Number(m[2]));
}

export function formatTrackingNumber(year: number, seq: number): string {
  return `GA-${year}-${String(seq).padStart(6, '0')}`;
}
