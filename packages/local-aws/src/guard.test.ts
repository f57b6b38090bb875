import { describe, expect, it } from 'vitest';
import { isLoopbackHost, refusal } from './guard.js';

describe('isLoopbackHost', () => {
  it('accepts loopback names with the endpoint port only', () => {
    for (const host of [
      'localhost:4566',
      '127.0.0.1:4566',
      '[::1]:4566',
      'LOCALHOST:4566',
      'bucket.localhost:4566',
    ])
      expect(isLoopbackHost(host, 4566)).toBe(true);
    for (const host of [
      'evil.example:4566',
      '127.0.0.2:4566',
      'localhost:80',
      'localhost',
      '127.0.0.1.nip.io:4566',
      'localhost.evil.example:4566',
      '',
      undefined,
    ])
      expect(isLoopbackHost(host, 4566)).toBe(false);
  });
});

describe('refusal', () => {
  const host = '127.0.0.1:4566';
  it('lets same-origin and non-browser requests through', () => {
    expect(refusal({ host }, 4566)).toBeUndefined();
    expect(
      refusal({ host, origin: 'http://127.0.0.1:4566', 'sec-fetch-site': 'same-origin' }, 4566),
    ).toBeUndefined();
    expect(refusal({ host, 'sec-fetch-site': 'none' }, 4566)).toBeUndefined();
  });
  it('refuses other sites, rebound host names and opaque origins', () => {
    expect(refusal({ host, origin: 'http://evil.example' }, 4566)).toMatch(
      /cross-origin browser requests \(Origin http:\/\/evil.example\)/,
    );
    expect(refusal({ host, origin: 'null' }, 4566)).toMatch(/cross-origin/);
    expect(refusal({ host, 'sec-fetch-site': 'cross-site' }, 4566)).toMatch(/Sec-Fetch-Site: cross-site/);
    expect(refusal({ host, 'sec-fetch-site': 'same-site' }, 4566)).toMatch(/Sec-Fetch-Site: same-site/);
    expect(refusal({ host: 'rebound.example:4566' }, 4566)).toMatch(/not Host 'rebound.example:4566'/);
  });
});
