/**
 * The client behind proxies: the first public address of an `X-Forwarded-For` list
 * (`client, proxy1, proxy2`). Private, loopback, link-local, shared (CGNAT) and unique-local
 * addresses are passed over, as are `unknown` and obfuscated identifiers.
 */
import { clientOf } from './scan.js';

/**
 * First public address of the list in `s[start, end)`, without port; with `fallbackToFirst`
 * the first address when none is public, else ''.
 */
export function firstPublicAddress(s: string, start: number, end: number, fallbackToFirst: boolean): string {
  let first = '';
  let i = start;
  while (i < end) {
    let j = s.indexOf(',', i);
    if (j < 0 || j > end) j = end;
    let a = i;
    let b = j;
    while (a < b && s.charCodeAt(a) === 32) a++;
    while (b > a && s.charCodeAt(b - 1) === 32) b--;
    if (b > a) {
      const address = clientOf(s, a, b, false);
      if (looksLikeIp(address)) {
        if (isPublic(address)) return address;
        if (first === '') first = address;
      }
    }
    i = j + 1;
  }
  return fallbackToFirst ? first : '';
}

function looksLikeIp(address: string): boolean {
  return (
    /^(\d{1,3}\.){3}\d{1,3}$/.test(address) || (address.includes(':') && /^[0-9a-fA-F:.]+$/.test(address))
  );
}

/** Whether an IPv4 or IPv6 address is globally routable (not private, loopback, link-local …). */
export function isPublic(address: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (a === 10 || a === 127 || a === 0 || a >= 224) return false;
    if (a === 172 && b >= 16 && b <= 31) return false;
    if (a === 192 && b === 168) return false;
    if (a === 169 && b === 254) return false;
    if (a === 100 && b >= 64 && b <= 127) return false;
    return true;
  }
  const lower = address.toLowerCase();
  if (lower === '::1' || lower === '::') return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return isPublic(mapped[1]!);
  // fc00::/7 unique local, fe80::/10 link-local.
  if (/^f[cd]/.test(lower) || /^fe[89ab]/.test(lower)) return false;
  return true;
}
