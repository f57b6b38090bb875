import type { TopEntry, TopK } from '@logflow/shared-types';

/**
 * Heavy hitters of one stream: Misra-Gries counters with batch purging (the scheme of the
 * DataSketches frequent-items sketch). Every kept value has a lower-bound count `c`; `offset`
 * is the total subtracted by purges, so a value's true count lies in `[c, c + offset]` and a
 * value not kept occurred at most `offset` times. Output entries are upper bounds
 * (`count = c + offset`, `error = offset`), the Space-Saving convention of `TopEntry`.
 */
export class HeavyHitters {
  /** Counters in mutable boxes, so a hit costs one map lookup and no allocation. */
  readonly counts = new Map<string, { c: number }>();
  /** Items offered. */
  total = 0;
  /** Sum of the amounts subtracted by purges. */
  offset = 0;

  /** @param maxTracked counters kept in memory before a purge halves them */
  constructor(private readonly maxTracked = 16384) {
    if (maxTracked < 2) throw new RangeError('maxTracked must be at least 2');
  }

  /**
   * Count one occurrence of `value`. Returns true when `value` was not tracked before, which
   * lets a caller skip work for values it has already seen (e.g. hashing into a HyperLogLog).
   */
  offer(value: string): boolean {
    this.total++;
    const box = this.counts.get(value);
    if (box !== undefined) {
      box.c++;
      return false;
    }
    if (this.counts.size >= this.maxTracked) this.purge();
    this.counts.set(value, { c: 1 });
    return true;
  }

  /** Subtract the median counter from every counter and drop those that reach zero. */
  private purge(): void {
    const values = new Float64Array(this.counts.size);
    let i = 0;
    for (const box of this.counts.values()) values[i++] = box.c;
    values.sort();
    const median = values[values.length >> 1] ?? 0;
    for (const [k, box] of this.counts) {
      if (box.c <= median) this.counts.delete(k);
      else box.c -= median;
    }
    this.offset += median;
  }

  /** The `capacity` largest counters, as a mergeable `TopK`. */
  toTopK(capacity: number): TopK {
    const entries: TopEntry[] = [];
    for (const [value, { c }] of this.counts) {
      entries.push({ value, count: c + this.offset, error: this.offset });
    }
    return { entries: truncateEntries(entries, capacity), capacity, total: this.total };
  }
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
