/**
 * Faults on purpose: a fraction of requests answered with the service's throttling error, an
 * internal error (500) or a dropped connection, before they reach the service (so a faulted
 * request has no effect and a client's retry is safe). Decisions come from a seeded generator,
 * one draw per request in arrival order: the same seed and the same sequence of requests give
 * the same faults.
 */
export type FaultKind = 'throttle' | 'error' | 'reset';

export interface FaultRates {
  throttle: number;
  error: number;
  reset: number;
  seed: number;
}

export const NO_FAULTS: FaultRates = Object.freeze({ throttle: 0, error: 0, reset: 0, seed: 0 });

/** The environment variable `startLocalAws` reads its fault rates from. */
export const FAULTS_ENV = 'LOGFLOW_LOCAL_FAULTS';

/**
 * Parses `throttle=0.05,error=0.02,reset=0.01,seed=7` (any subset, any order). Rates are
 * fractions from 0 to 1 whose sum is at most 1; the seed is a whole number (default 1).
 */
export function parseFaults(spec: string, source = FAULTS_ENV): FaultRates {
  const rates: FaultRates = { ...NO_FAULTS, seed: 1 };
  for (const part of spec.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = (eq < 0 ? item : item.slice(0, eq)).trim();
    const text = eq < 0 ? '' : item.slice(eq + 1).trim();
    const value = Number(text);
    if (name === 'seed') {
      if (text === '' || !Number.isSafeInteger(value))
        throw new Error(`${source}: seed must be a whole number, got '${text}'`);
      rates.seed = value;
    } else if (name === 'throttle' || name === 'error' || name === 'reset') {
      if (text === '' || !Number.isFinite(value) || value < 0 || value > 1)
        throw new Error(`${source}: ${name} must be a fraction from 0 to 1, got '${text}'`);
      rates[name] = value;
    } else {
      throw new Error(`${source}: unknown fault '${name}' (known: throttle, error, reset, seed)`);
    }
  }
  if (rates.throttle + rates.error + rates.reset > 1)
    throw new Error(
      `${source}: throttle + error + reset must not exceed 1, got ${rates.throttle + rates.error + rates.reset}`,
    );
  return rates;
}

/** Draws the fault, if any, of each request in turn. */
export class FaultInjector {
  private state: number;
  /** Faults injected so far, by kind. */
  readonly counts: Record<FaultKind, number> = { throttle: 0, error: 0, reset: 0 };

  constructor(private readonly rates: FaultRates) {
    this.state = rates.seed >>> 0;
  }

  get active(): boolean {
    return this.rates.throttle + this.rates.error + this.rates.reset > 0;
  }

  /** The fault of the next request, or undefined for none. */
  next(): FaultKind | undefined {
    if (!this.active) return undefined;
    const draw = this.random();
    const { throttle, error, reset } = this.rates;
    const kind: FaultKind | undefined =
      draw < throttle
        ? 'throttle'
        : draw < throttle + error
          ? 'error'
          : draw < throttle + error + reset
            ? 'reset'
            : undefined;
    if (kind) this.counts[kind]++;
    return kind;
  }

  /** mulberry32: small, fast and plenty for spreading faults evenly. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
