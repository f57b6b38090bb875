/** Small helpers over JSON values. */

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.prototype.hasOwnProperty.call(b, k) &&
      deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** JSON type names as AWS prints them in cause texts. */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return 'number';
  return typeof v;
}

/** The 256 KiB payload quota of Step Functions. */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;

/** UTF-8 size of a value's JSON text, or -1 if it is clearly below the quota. */
export function payloadBytes(text: string): number {
  // A UTF-16 string of n code units is at most 3n UTF-8 bytes.
  if (text.length * 3 <= PAYLOAD_LIMIT_BYTES) return -1;
  return Buffer.byteLength(text, 'utf8');
}
