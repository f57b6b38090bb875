import { describe, expect, it } from 'vitest';
import { compareKeys, pageOfKeys } from './s3-store.js';
import { decodeToken, encodeToken, isListObjects } from './s3-list.js';

describe('pageOfKeys', () => {
  const keys = ['a-b', 'a/1', 'a/2', 'a/b/c', 'ab', 'b', 'é'].sort(compareKeys);

  it('sorts keys by UTF-8 bytes', () => {
    expect(keys).toEqual(['a-b', 'a/1', 'a/2', 'a/b/c', 'ab', 'b', 'é']);
    expect(compareKeys('\uffff', '\u{10000}')).toBeLessThan(0);
  });

  it('rolls keys up into common prefixes that count towards maxKeys', () => {
    expect(pageOfKeys(keys, { delimiter: '/', maxKeys: 2 })).toEqual({
      keys: ['a-b'],
      commonPrefixes: ['a/'],
      isTruncated: true,
      lastEntry: 'a/',
    });
    expect(pageOfKeys(keys, { delimiter: '/', startAfter: 'a/', maxKeys: 10 })).toEqual({
      keys: ['ab', 'b', 'é'],
      commonPrefixes: [],
      isTruncated: false,
      lastEntry: 'é',
    });
    expect(pageOfKeys(keys, { prefix: 'a/', delimiter: '/' }).commonPrefixes).toEqual(['a/b/']);
  });

  it('is not truncated when the page ends exactly at the last key', () => {
    expect(pageOfKeys(['x', 'y'], { maxKeys: 2 }).isTruncated).toBe(false);
  });
});

describe('continuation tokens and listing requests', () => {
  it('round-trips tokens and rejects foreign ones', () => {
    expect(decodeToken(encodeToken('logs/ü/1'))).toBe('logs/ü/1');
    expect(decodeToken('bm90LWEtdG9rZW4')).toBeUndefined();
  });

  it('recognises bucket listings, not other bucket subresources', () => {
    expect(isListObjects('GET', '/bucket', new URLSearchParams('list-type=2&prefix=a'))).toBe(true);
    expect(isListObjects('GET', '/bucket/', new URLSearchParams(''))).toBe(true);
    expect(isListObjects('GET', '/bucket', new URLSearchParams('location'))).toBe(false);
    expect(isListObjects('GET', '/bucket/key', new URLSearchParams(''))).toBe(false);
    expect(isListObjects('PUT', '/bucket', new URLSearchParams(''))).toBe(false);
  });
});
