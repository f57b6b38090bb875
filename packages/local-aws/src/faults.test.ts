import { describe, expect, it } from 'vitest';
import { FaultInjector, parseFaults } from './faults.js';

describe('parseFaults', () => {
  it('reads rates and seed in any order', () => {
    expect(parseFaults('throttle=0.05,error=0.02,reset=0.01,seed=7')).toEqual({
      throttle: 0.05,
      error: 0.02,
      reset: 0.01,
      seed: 7,
    });
    expect(parseFaults(' seed=3 , reset=0.5 ')).toEqual({ throttle: 0, error: 0, reset: 0.5, seed: 3 });
  });
  it('names the field that is wrong', () => {
    expect(() => parseFaults('throttle=5%')).toThrow(
      "LOGFLOW_LOCAL_FAULTS: throttle must be a fraction from 0 to 1, got '5%'",
    );
    expect(() => parseFaults('latency=0.1')).toThrow("LOGFLOW_LOCAL_FAULTS: unknown fault 'latency'");
    expect(() => parseFaults('seed=x')).toThrow('seed must be a whole number');
    expect(() => parseFaults('throttle=0.6,error=0.6')).toThrow('must not exceed 1');
  });
});

describe('FaultInjector', () => {
  const draws = (spec: string, n: number) => {
    const injector = new FaultInjector(parseFaults(spec));
    return Array.from({ length: n }, () => injector.next() ?? '-');
  };
  it('gives the same faults for the same seed, others for another', () => {
    expect(draws('throttle=0.2,error=0.2,reset=0.2,seed=7', 200)).toEqual(
      draws('throttle=0.2,error=0.2,reset=0.2,seed=7', 200),
    );
    expect(draws('throttle=0.2,error=0.2,reset=0.2,seed=8', 200)).not.toEqual(
      draws('throttle=0.2,error=0.2,reset=0.2,seed=7', 200),
    );
  });
  it('injects each kind at about its rate', () => {
    const injector = new FaultInjector(parseFaults('throttle=0.05,error=0.02,reset=0.01,seed=7'));
    for (let i = 0; i < 100_000; i++) injector.next();
    expect(injector.counts.throttle / 100_000).toBeCloseTo(0.05, 2);
    expect(injector.counts.error / 100_000).toBeCloseTo(0.02, 2);
    expect(injector.counts.reset / 100_000).toBeCloseTo(0.01, 2);
  });
  it('injects nothing without rates', () => {
    expect(draws('seed=7', 50).every((d) => d === '-')).toBe(true);
  });
});
