import { describe, expect, it } from 'vitest';
import { busyDay } from '../test-support/fixtures.js';
import { renderJson } from './json.js';

describe('renderJson', () => {
  it('round-trips the summary with a trailing newline', () => {
    const json = renderJson(busyDay());
    expect(json.endsWith('}\n')).toBe(true);
    expect(JSON.parse(json)).toEqual(busyDay());
    expect(renderJson(busyDay())).toBe(json);
  });
});
