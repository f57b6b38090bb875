/**
 * A copy of `s` that shares no memory with the string it was cut from.
 *
 * Lines are handed to the parsers as ranges of one decoded block (up to 64 KiB), and V8 keeps
 * a substring of 13 or more characters as a view of its parent: a value the summary keeps for
 * the whole file (a counted path, a malformed sample) would keep its block alive with it. The
 * concatenation is flattened into a fresh string before slicing, so the result refers only to
 * that copy.
 */
export function detachString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
