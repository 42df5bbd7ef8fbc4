/** How the report writes numbers, durations, keys and ids. */

/** A mean or SE: four decimals, small magnitudes in exponent form (as `pam status` prints them). */
export function formatValue(x: number): string {
  if (Number.isNaN(x)) return '';
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(2) : x.toFixed(4);
}

/** A p-value; empty for the reference decoder itself (NaN). */
export function formatP(p: number): string {
  if (Number.isNaN(p)) return '';
  return p < 1e-3 ? p.toExponential(2) : p.toFixed(4);
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The first 16 hex digits of a key, as the stage tables show them. */
export function shortKey(key: string): string {
  return key.slice(0, 16);
}

/** A stage id made safe for an element id (YAML keys may hold any character). */
export function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}
