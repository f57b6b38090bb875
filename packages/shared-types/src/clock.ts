/**
 * The one source of the current time. Everything in logflow that needs "now" (CloudWatch's
 * accepted timestamp window, the default run date, TTL sweeps, execution histories) takes a
 * `Clock`, so tests pass a fixed instant and no outcome depends on the day it runs.
 */
export type Clock = () => Date;

/** The system clock: what every product path uses unless told otherwise. */
export const systemClock: Clock = () => new Date();

/** A clock that always reads `instant` (ISO-8601 text, epoch milliseconds or a `Date`). */
export function fixedClock(instant: string | number | Date): Clock {
  const ms =
    instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new Error(`fixedClock: not an instant: ${String(instant)}`);
  return () => new Date(ms);
}

const DAY_MS = 86_400_000;

/** The UTC day (`YYYY-MM-DD`) before the clock's reading: the day a scheduled run processes. */
export function yesterdayUtc(clock: Clock = systemClock): string {
  return new Date(clock().getTime() - DAY_MS).toISOString().slice(0, 10);
}
