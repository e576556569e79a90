/**
 * What the models see of a message: features of its word stems. The fact index and the
 * nearest-example index compare words; the softmax model also reads length and spelling.
 */

const CHAR_GRAM = 4;

/** Stems and stem bigrams: the words of a text and their order, what the fact index compares. */
export function stemBigrams(stems: string[]): string[] {
  const out = [...stems];
  for (let i = 1; i < stems.length; i++) out.push(`${stems[i - 1]}_${stems[i]}`);
  return out;
}

/** Stems, stem bigrams and the first and last stem as such: what the nearest-example index compares. */
export function wordFeatures(stems: string[]): string[] {
  return stems.length ? [...stemBigrams(stems), `^_${stems[0]}`, `${stems.at(-1)}_$`] : [];
}

/**
 * The word features, the length in words (up to 6) and character 4-grams of the stems (padded,
 * so word starts and ends count). How a message begins and ends and how long it is tell a bare
 * "chao nos vemos" from a question that mentions leaving (cross-validation on the training files:
 * 0.848 / 0.856 → 0.855 / 0.871).
 */
export function features(words: string[], stems: string[]): string[] {
  const out = new Set(words);
  out.add(`len:${Math.min(stems.length, 6)}`);
  for (const stem of stems) {
    const padded = `<${stem}>`;
    for (let i = 0; i + CHAR_GRAM <= padded.length; i++) out.add(`#${padded.slice(i, i + CHAR_GRAM)}`);
  }
  return [...out];
}
