import { describe, expect, it } from 'vitest';
import { formatBytes, formatCompact, formatInt, formatMs, formatPercent, formatTimestamp } from './format.js';

describe('number formatting', () => {
  it('groups thousands without depending on the locale', () => {
    expect(formatInt(1234567)).toBe('1,234,567');
    expect(formatInt(-1000)).toBe('-1,000');
    expect(formatInt(12)).toBe('12');
    expect(formatInt(Number.NaN)).toBe('–');
  });

  it('formats compact axis labels', () => {
    expect(formatCompact(0)).toBe('0');
    expect(formatCompact(1500)).toBe('1.5k');
    expect(formatCompact(2_000_000)).toBe('2M');
    expect(formatCompact(250_000)).toBe('250k');
  });

  it('formats bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5 GiB');
  });

  it('formats latencies', () => {
    expect(formatMs(0.42)).toBe('0.42 ms');
    expect(formatMs(38.25)).toBe('38.3 ms');
    expect(formatMs(512.7)).toBe('513 ms');
    expect(formatMs(4812.3)).toBe('4.81 s');
  });

  it('formats shares', () => {
    expect(formatPercent(1, 3)).toBe('33.3%');
    expect(formatPercent(0, 0)).toBe('0%');
    expect(formatPercent(1, 1_000_000)).toBe('<0.01%');
    expect(formatPercent(5, 1000)).toBe('0.5%');
  });

  it('formats timestamps in UTC', () => {
    expect(formatTimestamp('2026-11-22T10:05:00.123Z')).toBe('2026-11-22 10:05:00 UTC');
  });
});
