/**
 * Number and time formatting for the reports. Locale-independent on purpose: the same summary
 * renders byte-identically on every machine.
 */

/** 1234567 → "1,234,567". */
export function formatInt(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const sign = value < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(value)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Fixed decimals without trailing zeros: 1.50 → "1.5". */
export function formatDecimal(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return '–';
  const fixed = value.toFixed(decimals);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** 12345 → "12.3k", 1200000 → "1.2M"; small numbers as integers. */
export function formatCompact(value: number): string {
  const abs = Math.abs(value);
  if (abs < 1000) return formatDecimal(value, abs < 10 && !Number.isInteger(value) ? 1 : 0);
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) return `${formatDecimal(value / size, value / size >= 100 ? 0 : 1)}${suffix}`;
  }
  return String(value);
}

/** Bytes in binary units: 1536 → "1.5 KiB". */
export function formatBytes(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? formatInt(v) : formatDecimal(v, v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** Milliseconds: 0.42 → "0.42 ms", 87 → "87 ms", 1234 → "1.23 s". */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value >= 1000) return `${formatDecimal(value / 1000, 2)} s`;
  if (value >= 100) return `${formatInt(value)} ms`;
  if (value >= 10) return `${formatDecimal(value, 1)} ms`;
  return `${formatDecimal(value, 2)} ms`;
}

/** Share as a percentage: (1, 3) → "33.3%"; 0 of 0 → "0%". */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const pct = (part / whole) * 100;
  if (pct > 0 && pct < 0.01) return '<0.01%';
  return `${formatDecimal(pct, pct < 1 ? 2 : 1)}%`;
}

/** "2026-11-22T10:05:00.000Z" → "2026-11-22 10:05:00 UTC". */
export function formatTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Epoch ms → "HH:MM" (UTC). */
export function formatClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** Seconds → "1 min", "5 min", "1 h". */
export function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
