import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect.js';
import { fixturePath } from './formats/parse-fixture.js';

const sample = (name: string) => readFileSync(fixturePath(name), 'utf8').split('\n');

describe('detectFormat', () => {
  it.each([
    ['nginx-combined.log', 'combined'],
    ['apache-combined.log', 'combined'],
    ['apache-common.log', 'common'],
    ['alb.log', 'alb'],
    ['cloudfront.log', 'cloudfront'],
    ['s3.log', 's3'],
    ['app.jsonl', 'jsonl'],
  ])('detects %s as %s', (name, format) => {
    expect(detectFormat(sample(name)).format).toBe(format);
  });

  it('goes with the majority when a few lines are malformed', () => {
    const lines = [...sample('apache-common.log'), 'garbage', ...sample('apache-common.log')];
    expect(detectFormat(lines)).toMatchObject({ format: 'common', votes: 6, sampled: 7 });
  });

  it('fails without a majority and points at the first line no format parses', () => {
    const lines = ['', 'hello world', sample('s3.log')[0]!, 'more text', 'and more'];
    expect(detectFormat(lines)).toEqual({ format: null, offending: 1 });
  });

  it('does not let comment lines alone elect CloudFront', () => {
    expect(detectFormat(['# a comment', 'not a log line']).format).toBeNull();
    expect(detectFormat(['#Version: 1.0', '#Fields: date time']).format).toBe('cloudfront');
  });
});
