import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect.js';
import { fixturePath } from './formats/parse-fixture.js';
import { presetNamed } from './formats/presets.js';

const sample = (name: string) => readFileSync(fixturePath(name), 'utf8').split('\n');
const example = (name: string) => presetNamed(name)!.example;

describe('detectFormat', () => {
  it.each([
    ['nginx-combined.log', 'nginx-timed'],
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
    expect(detectFormat(lines)).toMatchObject({ format: 'common', sampled: 7, confidence: 6 / 7 });
  });

  it('fails without a majority, naming the best two candidates and the first line the best did not parse', () => {
    const lines = ['', 'hello world', sample('s3.log')[0]!, 'more text', 'and more'];
    expect(detectFormat(lines)).toEqual({
      format: null,
      sampled: 4,
      candidates: [{ format: 's3', parsed: 1, confidence: 0.25 }],
      offending: 1,
    });
  });

  it('does not let comment lines elect a format, however many there are', () => {
    expect(detectFormat(['# a comment', 'not a log line']).format).toBeNull();
    expect(detectFormat(['#Version: 1.0', '#Fields: date time']).format).toBe('cloudfront');
    const comments = Array.from({ length: 5000 }, (_, i) => `# comment ${i}`);
    expect(detectFormat([...comments, ...sample('apache-combined.log')]).format).toBe('combined');
  });

  describe('between formats one of which also parses the other', () => {
    const combined = example('combined');
    const common = example('common');
    it.each([
      // A combined file with a few common lines is combined: common would lose every user agent.
      ['combined with some common lines', [combined, combined, common, combined], 'combined'],
      ['common only', [common, common, common], 'common'],
      ['nginx-timed over combined', [example('nginx-timed'), example('nginx-timed')], 'nginx-timed'],
      ['ingress-nginx over combined and nginx-timed', [example('ingress-nginx')], 'ingress-nginx'],
      ['nginx-main over combined', [example('nginx-main')], 'nginx-main'],
      ['nginx-main-ext over nginx-main', [example('nginx-main-ext')], 'nginx-main-ext'],
      ['traefik-clf over combined', [example('traefik-clf')], 'traefik-clf'],
      ['apache-vhost-combined, not combined', [example('apache-vhost-combined')], 'apache-vhost-combined'],
      ['elb, not alb', [example('elb')], 'elb'],
      ['alb, not elb', [example('alb')], 'alb'],
      ['caddy-json over jsonl', [example('caddy-json')], 'caddy-json'],
      ['traefik-json over jsonl', [example('traefik-json')], 'traefik-json'],
      ['envoy-json over jsonl', [example('envoy-json')], 'envoy-json'],
      ['apigateway-json over jsonl', [example('apigateway-json')], 'apigateway-json'],
      ['jsonl, not a JSON preset', [example('jsonl')], 'jsonl'],
      ['envoy text, not combined', [example('envoy')], 'envoy'],
    ])('%s', (_, lines, format) => {
      expect(detectFormat(lines).format).toBe(format);
    });

    it('reports the runner-up', () => {
      const detection = detectFormat([example('ingress-nginx'), example('ingress-nginx')]);
      expect(detection).toMatchObject({
        format: 'ingress-nginx',
        confidence: 1,
        runnerUp: { format: 'combined', confidence: 1 },
      });
    });
  });
});
