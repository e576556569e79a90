/** Case and accents folded, for matching what people type against stored text. */
export function fold(s: string): string {
  return s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
}
