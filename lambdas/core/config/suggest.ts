import { distance } from 'fastest-levenshtein';

/** ` (did you mean "interval"?)` when a known key is a plausible typo of `key`, else ''. */
export function didYouMean(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  // Allow about one edit per three letters: "intervall"→"interval", "sms_to"→ nothing.
  const tolerance = Math.max(1, Math.floor(key.length / 3));
  return best !== undefined && bestDistance <= tolerance ? ` (did you mean "${best}"?)` : '';
}
