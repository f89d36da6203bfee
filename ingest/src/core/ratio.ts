// A figure's ratio as every definition in docs/definitions.md states it: a fraction, or null
// when there is nothing to divide by (a 0 shown for "no scheduled time" would read as a failure).

/** n ÷ d, or null when d is 0 (denominators are sums of times or counts, never negative). */
export const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);
