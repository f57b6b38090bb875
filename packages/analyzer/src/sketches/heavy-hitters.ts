import type { TopEntry, TopK } from '@logflow/shared-types';
import { detachString } from '../detach.js';

/**
 * Heavy hitters of one stream: Misra-Gries counters with batch purging (the scheme of the
 * DataSketches frequent-items sketch). Every kept value has a lower-bound count `c`; `offset`
 * is the total subtracted by purges, so a value's true count lies in `[c, c + offset]` and a
 * value not kept occurred at most `offset` times. Output entries are upper bounds
 * (`count = c + offset`, `error = offset`), the Space-Saving convention of `TopEntry`.
 *
 * `offer` runs several times per log line, so the counters live in an open-addressing table of
 * typed arrays (at most half full) instead of a `Map` of boxes: a repeated value costs one hash
 * of its characters, one probe of a 32-bit hash array and one string comparison, without
 * V8 hashing a fresh string or following pointers to a box. The table is rebuilt only by a purge.
 * Long values (user agents) first try a small cache indexed by their length and two characters,
 * which spares hashing a value seen recently; a wrong guess costs one string comparison.
 */
export class HeavyHitters {
  /** Items offered. */
  total = 0;
  /** Sum of the amounts subtracted by purges. */
  offset = 0;
  private size = 0;
  private mask: number;
  /** Per slot: the value, its hash and its count (0 = empty slot). */
  private keys: string[];
  private hashes: Int32Array;
  private counters: Float64Array;
  /** The arrays the next purge re-inserts into, and its sort buffer (allocated on the first purge). */
  private spare: { keys: string[]; hashes: Int32Array; counters: Float64Array } | null = null;
  private sortScratch: Float64Array | null = null;
  /** Slot + 1 of a recently counted long value, by `recentIndex` (0 = none). */
  private readonly recent = new Int32Array(RECENT_SLOTS);
  /** Table size once `maxTracked` values are tracked (a power of two, at least twice it). */
  private readonly maxSlots: number;

  /** @param maxTracked counters kept in memory before a purge halves them */
  constructor(private readonly maxTracked = 16384) {
    if (maxTracked < 2) throw new RangeError('maxTracked must be at least 2');
    let slots = 4;
    while (slots < maxTracked * 2) slots *= 2;
    this.maxSlots = slots;
    // Start small and double while filling: most files have far fewer distinct values than
    // the table can track, and one sketch per field is built for every file.
    const initial = Math.min(slots, INITIAL_SLOTS);
    this.mask = initial - 1;
    this.keys = new Array<string>(initial).fill('');
    this.hashes = new Int32Array(initial);
    this.counters = new Float64Array(initial);
  }

  /** Doubles the table (load stays at most one half) and re-inserts every counter. */
  private grow(): void {
    const { keys, hashes, counters } = this;
    const slots = counters.length * 2;
    this.mask = slots - 1;
    this.keys = new Array<string>(slots).fill('');
    this.hashes = new Int32Array(slots);
    this.counters = new Float64Array(slots);
    this.recent.fill(0);
    for (let i = 0; i < counters.length; i++) {
      const c = counters[i]!;
      if (c === 0) continue;
      const j = this.emptySlot(hashes[i]!);
      this.keys[j] = keys[i]!;
      this.hashes[j] = hashes[i]!;
      this.counters[j] = c;
    }
  }

  /** The kept values and their lower-bound counts `c` (a snapshot). */
  get counts(): Map<string, { c: number }> {
    const out = new Map<string, { c: number }>();
    const { keys, counters } = this;
    for (let i = 0; i < counters.length; i++) if (counters[i]! > 0) out.set(keys[i]!, { c: counters[i]! });
    return out;
  }

  /**
   * Count one occurrence of `value`. Returns true when `value` was not tracked before, which
   * lets a caller skip work for values it has already seen (e.g. hashing into a HyperLogLog).
   */
  offer(value: string): boolean {
    this.total++;
    const { keys, hashes, counters, mask } = this;
    const length = value.length;
    let r = -1;
    if (length > RECENT_MIN_LENGTH) {
      r = recentIndex(value, length);
      const slot = this.recent[r]! - 1;
      if (slot >= 0 && keys[slot] === value) {
        counters[slot]!++;
        return false;
      }
    }
    const h = hashString(value);
    let i = h & mask;
    for (;;) {
      const c = counters[i]!;
      if (c === 0) break;
      if (hashes[i] === h && keys[i] === value) {
        counters[i] = c + 1;
        if (r >= 0) this.recent[r] = i + 1;
        return false;
      }
      i = (i + 1) & mask;
    }
    if (this.size >= this.maxTracked) {
      this.purge();
      i = this.emptySlot(h);
    } else if ((this.size + 1) * 2 > this.counters.length && this.counters.length < this.maxSlots) {
      this.grow();
      i = this.emptySlot(h);
    }
    if (r >= 0) this.recent[r] = i + 1;
    // Kept for the whole stream: do not pin the block of lines the value was cut from.
    this.keys[i] = detachString(value);
    this.hashes[i] = h;
    this.counters[i] = 1;
    this.size++;
    return true;
  }

  private emptySlot(h: number): number {
    let i = h & this.mask;
    while (this.counters[i] !== 0) i = (i + 1) & this.mask;
    return i;
  }

  /**
   * Subtract the median counter from every counter and drop those that reach zero. Survivors
   * are re-inserted into a second, cleared set of arrays, and the two sets swap: a stream of
   * distinct values purges often, and must not leave a table's worth of garbage each time.
   */
  private purge(): void {
    const { keys, hashes, counters } = this;
    const values = (this.sortScratch ??= new Float64Array(this.maxTracked)).subarray(0, this.size);
    let n = 0;
    for (let i = 0; i < counters.length; i++) if (counters[i]! > 0) values[n++] = counters[i]!;
    values.sort();
    const median = values[values.length >> 1] ?? 0;
    const spare = this.spare ?? {
      keys: new Array<string>(keys.length).fill(''),
      hashes: new Int32Array(hashes.length),
      counters: new Float64Array(counters.length),
    };
    this.keys = spare.keys;
    this.hashes = spare.hashes;
    this.counters = spare.counters;
    this.size = 0;
    this.recent.fill(0);
    for (let i = 0; i < counters.length; i++) {
      const c = counters[i]!;
      if (c <= median) continue;
      const j = this.emptySlot(hashes[i]!);
      this.keys[j] = keys[i]!;
      this.hashes[j] = hashes[i]!;
      this.counters[j] = c - median;
      this.size++;
    }
    // The old set becomes the spare: empty, and holding no strings.
    keys.fill('');
    counters.fill(0);
    this.spare = { keys, hashes, counters };
    this.offset += median;
  }

  /** The `capacity` largest counters, as a mergeable `TopK`. */
  toTopK(capacity: number): TopK {
    const entries: TopEntry[] = [];
    const { keys, counters } = this;
    // Only counters at least as large as the capacity-th largest can be kept: find that
    // threshold with a numeric sort, so the entry sort sees about `capacity` entries, not all.
    let threshold = 1;
    if (this.size > capacity && capacity > 0) {
      const values = (this.sortScratch ??= new Float64Array(this.maxTracked)).subarray(0, this.size);
      let n = 0;
      for (let i = 0; i < counters.length; i++) if (counters[i]! > 0) values[n++] = counters[i]!;
      values.subarray(0, n).sort();
      threshold = values[n - capacity]!;
    }
    for (let i = 0; i < counters.length; i++) {
      const c = counters[i]!;
      if (c >= threshold) entries.push({ value: keys[i]!, count: c + this.offset, error: this.offset });
    }
    return { entries: truncateEntries(entries, capacity), capacity, total: this.total };
  }
}

const RECENT_SLOTS = 1024;
const INITIAL_SLOTS = 256;
/** Values longer than this try the recent-value cache before being hashed. */
const RECENT_MIN_LENGTH = 32;

function recentIndex(value: string, length: number): number {
  return (
    (length * 31 + value.charCodeAt(length >> 1) * 7 + value.charCodeAt(length - 2)) & (RECENT_SLOTS - 1)
  );
}

/** FNV-1a over the UTF-16 code units, then a murmur3 finalizer to spread the low bits. */
function hashString(value: string): number {
  let h = 0x811c9dc5 ^ value.length;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

/** Sort by count descending, then value, and keep `capacity` entries. */
export function truncateEntries(entries: TopEntry[], capacity: number): TopEntry[] {
  entries.sort(compareEntries);
  if (entries.length > capacity) entries.length = capacity;
  return entries;
}

export function compareEntries(a: TopEntry, b: TopEntry): number {
  return b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

/**
 * Upper bound on the count of a value a `TopK` does not list. Two bounds hold, take the
 * tighter: entries are upper bounds kept by largest count, and the sketches never drop a value
 * counted more often than a kept one, so the smallest kept count bounds every absent value;
 * and an absent value cannot exceed what the listed values' lower bounds leave of the total
 * (0 when the summary is exact).
 */
export function absentBound(topK: TopK): number {
  let listedLower = 0;
  let minCount = Infinity;
  for (const e of topK.entries) {
    listedLower += Math.max(0, e.count - e.error);
    if (e.count < minCount) minCount = e.count;
  }
  return Math.max(0, Math.min(minCount, topK.total - listedLower));
}

/**
 * Merge of mergeable heavy-hitter summaries: a value's bounds are summed over the inputs,
 * using each input's absent bound where it is not listed, then the largest `capacity` are kept.
 * The invariant "true count in [count - error, count]" holds for every merged entry, and any
 * value left out is bounded by the smallest kept count.
 */
export function mergeTopK(parts: readonly TopK[], capacity?: number): TopK {
  const cap = capacity ?? Math.max(0, ...parts.map((p) => p.capacity));
  const bounds = parts.map(absentBound);
  const merged = new Map<string, TopEntry>();
  let total = 0;
  parts.forEach((part, i) => {
    total += part.total;
    for (const e of part.entries) {
      let m = merged.get(e.value);
      if (m === undefined) {
        m = { value: e.value, count: 0, error: 0 };
        merged.set(e.value, m);
      }
      // Remember which inputs listed the value by replacing their absent bound below.
      m.count += e.count - (bounds[i] ?? 0);
      m.error += e.error - (bounds[i] ?? 0);
    }
  });
  const absentSum = bounds.reduce((a, b) => a + b, 0);
  const entries: TopEntry[] = [];
  for (const m of merged.values()) {
    entries.push({ value: m.value, count: m.count + absentSum, error: m.error + absentSum });
  }
  return { entries: truncateEntries(entries, cap), capacity: cap, total };
}
