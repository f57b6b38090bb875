import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * HyperLogLog cardinality sketch: precision 14 (16,384 registers, standard error 0.81%),
 * a 64-bit string hash and Ertl's improved estimator, which is unbiased from one element up
 * without HLL++'s empirical bias tables.
 *
 * Written here rather than taken from `bloom-filters`: its HyperLogLog (3.0.x) indexes
 * registers from a binary string without leading zeros (half the registers unused, biased
 * ranks), has its small-range correction commented out, skips the last register on merge,
 * allocates strings per update and exports registers as a JSON number array (~50 KB).
 *
 * Serialized form (base64): byte 0 = format version, byte 1 = precision, then the registers
 * (one byte each) deflated; mostly-empty sketches of small files take a few hundred bytes.
 */
export const HLL_PRECISION = 14;
const FORMAT_VERSION = 1;
/** Rank bits: the low 32 bits of the hash; register values are 0..33. */
const RANK_BITS = 32;

export class HyperLogLog {
  readonly registers: Uint8Array;

  constructor(
    readonly precision = HLL_PRECISION,
    registers?: Uint8Array,
  ) {
    if (precision < 4 || precision > 18)
      throw new RangeError(`HyperLogLog precision ${precision} out of range`);
    const m = 1 << precision;
    if (registers && registers.length !== m) throw new Error('HyperLogLog register count mismatch');
    this.registers = registers ?? new Uint8Array(m);
  }

  /** Standard relative error of the estimate, 1.04/sqrt(m). */
  get relativeStandardError(): number {
    return 1.04 / Math.sqrt(this.registers.length);
  }

  add(value: string): void {
    // 64-bit hash as two 32-bit halves (two differently seeded murmur3-style passes).
    let h1 = 0x9e3779b9 ^ value.length;
    let h2 = 0x85ebca6b ^ value.length;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x5bd1e995);
      h1 ^= h1 >>> 15;
      h2 = Math.imul(h2 ^ c, 0x27d4eb2f);
      h2 ^= h2 >>> 13;
    }
    h1 = fmix32(h1 ^ Math.imul(h2, 0x165667b1));
    h2 = fmix32(h2 ^ Math.imul(h1, 0xcc9e2d51));
    this.addHash(h1 >>> 0, h2 >>> 0);
  }

  /** Register index from the top bits of `hi`, rank from the leading zeros of `lo`. */
  addHash(hi: number, lo: number): void {
    const index = hi >>> (32 - this.precision);
    const rank = Math.clz32(lo) + 1; // 33 when lo === 0
    if (rank > this.registers[index]!) this.registers[index] = rank;
  }

  merge(other: HyperLogLog): void {
    if (other.precision !== this.precision)
      throw new Error('cannot merge HyperLogLogs of different precision');
    const a = this.registers;
    const b = other.registers;
    for (let i = 0; i < a.length; i++) if (b[i]! > a[i]!) a[i] = b[i]!;
  }

  /** Ertl, "New cardinality estimation algorithms for HyperLogLog sketches" (2017), Alg. 6. */
  estimate(): number {
    const m = this.registers.length;
    const q = RANK_BITS;
    const hist = new Float64Array(q + 2);
    for (const r of this.registers) hist[r]!++;
    if (hist[0] === m) return 0;
    let z = m * tau(1 - hist[q + 1]! / m);
    for (let k = q; k >= 1; k--) z = 0.5 * (z + hist[k]!);
    z += m * sigma(hist[0]! / m);
    return Math.round((m * m) / (2 * Math.LN2 * z));
  }

  serialize(): string {
    // Level 6: level 9 costs up to 13× the time (7.6 ms per sketch at 10% fill) for 1-9% less size.
    const body = deflateRawSync(this.registers, { level: 6 });
    const out = Buffer.allocUnsafe(2 + body.length);
    out[0] = FORMAT_VERSION;
    out[1] = this.precision;
    body.copy(out, 2);
    return out.toString('base64');
  }

  static deserialize(encoded: string): HyperLogLog {
    const buf = Buffer.from(encoded, 'base64');
    if (buf.length < 2 || buf[0] !== FORMAT_VERSION) throw new Error('unsupported HyperLogLog encoding');
    const precision = buf[1]!;
    const registers = new Uint8Array(inflateRawSync(buf.subarray(2)));
    if (registers.length !== 1 << precision) throw new Error('corrupt HyperLogLog encoding');
    for (const r of registers) if (r > RANK_BITS + 1) throw new Error('corrupt HyperLogLog register');
    return new HyperLogLog(precision, registers);
  }
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  for (;;) {
    x *= x;
    const prev = z;
    z += x * y;
    y += y;
    if (z === prev) return z;
  }
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const prev = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
    if (z === prev) return z / 3;
  }
}
