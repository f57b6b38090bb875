import { describe, expect, it } from 'vitest';
import { dayListPrefixes, layoutKeyPrefix, LayoutError, nextDayOf, type KeyLayout } from './layouts.js';

const alb: KeyLayout = {
  layout: 'alb',
  parameters: { prefix: 'edge', account: '123456789012', region: 'eu-west-1' },
};
const prefixes = (layout: KeyLayout, day: string) => dayListPrefixes(layout, day).map((p) => p.prefix);

describe('dayListPrefixes: presets', () => {
  it('alb lists the day and the next day, under [prefix/]AWSLogs/<account>/elasticloadbalancing/<region>/', () => {
    expect(dayListPrefixes(alb, '2026-11-22')).toEqual([
      {
        prefix: 'edge/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2026/11/22/',
        day: '2026-11-22',
        neighbour: false,
      },
      {
        prefix: 'edge/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2026/11/23/',
        day: '2026-11-23',
        neighbour: true,
      },
    ]);
  });

  it('alb and elb add the slash after a prefix only when it lacks one, and none without a prefix', () => {
    const base = { account: '123456789012', region: 'us-east-1' };
    expect(prefixes({ layout: 'elb', parameters: { ...base, prefix: 'lb/' } }, '2026-01-05')[0]).toBe(
      'lb/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/01/05/',
    );
    expect(prefixes({ layout: 'elb', parameters: base }, '2026-01-05')[0]).toBe(
      'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/01/05/',
    );
  });

  it('alb crosses month ends, year ends and leap days into the right next day', () => {
    expect(prefixes(alb, '2026-11-30')[1]).toMatch(/\/2026\/12\/01\/$/);
    expect(prefixes(alb, '2026-12-31')[1]).toMatch(/\/2027\/01\/01\/$/);
    expect(prefixes(alb, '2028-02-28')[1]).toMatch(/\/2028\/02\/29\/$/);
    expect(prefixes(alb, '2028-02-29')).toEqual([
      'edge/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2028/02/29/',
      'edge/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2028/03/01/',
    ]);
    expect(prefixes(alb, '2027-02-28')[1]).toMatch(/\/2027\/03\/01\/$/);
  });

  it('cloudfront (legacy) is one flat prefix <prefix><distribution>.YYYY-MM-DD-', () => {
    const layout = { layout: 'cloudfront', parameters: { prefix: 'cf/', distribution: 'E2QWRUHAPOMQZL' } };
    expect(dayListPrefixes(layout, '2028-02-29')).toEqual([
      { prefix: 'cf/E2QWRUHAPOMQZL.2028-02-29-', day: '2028-02-29', neighbour: false },
    ]);
  });

  it('cloudfront-partitioned lists 24 hourly prefixes of the day only', () => {
    const got = dayListPrefixes(
      { layout: 'cloudfront-partitioned', parameters: { distribution: 'EABC' } },
      '2026-12-31',
    );
    expect(got).toHaveLength(24);
    expect(got[0]).toEqual({ prefix: 'EABC/2026/12/31/00/', day: '2026-12-31', neighbour: false });
    expect(got[23]!.prefix).toBe('EABC/2026/12/31/23/');
    expect(new Set(got.map((p) => p.prefix)).size).toBe(24);
    expect(got.every((p) => !p.neighbour)).toBe(true);
  });

  it("s3-access lists [prefix]YYYY-MM-DD- and the next day, whose files hold the day's last requests", () => {
    expect(dayListPrefixes({ layout: 's3-access', parameters: { prefix: 'access/' } }, '2026-02-28')).toEqual(
      [
        { prefix: 'access/2026-02-28-', day: '2026-02-28', neighbour: false },
        { prefix: 'access/2026-03-01-', day: '2026-03-01', neighbour: true },
      ],
    );
    expect(prefixes({ layout: 's3-access' }, '2026-12-31')).toEqual(['2026-12-31-', '2027-01-01-']);
  });

  it('s3-access-partitioned lists [prefix]<account>/<region>/<bucket>/YYYY/MM/DD/', () => {
    const layout = {
      layout: 's3-access-partitioned',
      parameters: { prefix: 'logs/', account: '123456789012', region: 'eu-central-1', bucket: 'shop-assets' },
    };
    expect(prefixes(layout, '2028-02-29')).toEqual([
      'logs/123456789012/eu-central-1/shop-assets/2028/02/29/',
    ]);
  });
});

describe('dayListPrefixes: templates', () => {
  it('expands every placeholder and the prefix', () => {
    const layout = {
      layout: '{prefix}nginx/{region}/{yyyy}/{MM}/{dd}/access-',
      parameters: { prefix: 'apps/', region: 'eu-west-1' },
    };
    expect(prefixes(layout, '2026-03-09')).toEqual(['apps/nginx/eu-west-1/2026/03/09/access-']);
  });

  it('expands {HH} into 24 prefixes and lists the next day on request', () => {
    const got = dayListPrefixes({ layout: 'app/{yyyy}-{MM}-{dd}T{HH}', nextDay: true }, '2026-12-31');
    expect(got).toHaveLength(48);
    expect(got[5]!.prefix).toBe('app/2026-12-31T05');
    expect(got[24]).toEqual({ prefix: 'app/2027-01-01T00', day: '2027-01-01', neighbour: true });
  });

  it('names the missing placeholder', () => {
    expect(() => dayListPrefixes({ layout: 'x/{account}/{yyyy}/{MM}/{dd}/' }, '2026-01-01')).toThrow(
      /placeholder \{account\} needs the parameter "account"/,
    );
    expect(() =>
      dayListPrefixes({ layout: 'alb', parameters: { account: '123456789012' } }, '2026-01-01'),
    ).toThrow(/layout "alb": placeholder \{region\}/);
    expect(() => dayListPrefixes({ layout: 'cloudfront' }, '2026-01-01')).toThrow(/\{distribution\}/);
  });

  it('rejects unknown placeholders, unbalanced braces and templates that do not address a day', () => {
    expect(() => dayListPrefixes({ layout: 'x/{year}/{MM}/{dd}/' }, '2026-01-01')).toThrow(
      /unknown placeholder \{year\}/,
    );
    expect(() => dayListPrefixes({ layout: 'x/{yyyy}/{MM}/{dd/' }, '2026-01-01')).toThrow(/unbalanced brace/);
    expect(() => dayListPrefixes({ layout: 'x/{yyyy}/{MM}/' }, '2026-01-01')).toThrow(
      /needs the placeholder \{dd\}/,
    );
    expect(() => dayListPrefixes({ layout: '' }, '2026-01-01')).toThrow(LayoutError);
  });

  it('rejects malformed and unknown parameters, naming them', () => {
    expect(() =>
      dayListPrefixes({ layout: 'alb', parameters: { account: '12', region: 'eu-west-1' } }, '2026-01-01'),
    ).toThrow(/layout parameter "account": expected a 12-digit AWS account id/);
    expect(() =>
      dayListPrefixes({ layout: 'cloudfront', parameters: { distribution: '../E1' } }, '2026-01-01'),
    ).toThrow(/"distribution"/);
    expect(() =>
      dayListPrefixes(
        { layout: 'cloudfront', parameters: { distribution: 'E1', zone: 'x' } as never },
        '2026-01-01',
      ),
    ).toThrow(/unknown layout parameter "zone"/);
  });

  it('rejects days that do not exist', () => {
    for (const day of ['2026-02-29', '2027-02-29', '2026-13-01', '2026-04-31', '2026-1-1', '']) {
      expect(() => dayListPrefixes(alb, day)).toThrow(/invalid date/);
    }
  });
});

describe('layoutKeyPrefix', () => {
  it('is the fixed part before the first date placeholder, which every day prefix starts with', () => {
    expect(layoutKeyPrefix(alb)).toBe('edge/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/');
    expect(layoutKeyPrefix({ layout: 'cloudfront', parameters: { prefix: 'cf/', distribution: 'E1' } })).toBe(
      'cf/E1.',
    );
    expect(layoutKeyPrefix({ layout: 's3-access' })).toBe('');
    for (const p of prefixes(alb, '2026-12-31')) expect(p.startsWith(layoutKeyPrefix(alb))).toBe(true);
  });
});

describe('nextDayOf', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(nextDayOf('2028-02-28')).toBe('2028-02-29');
    expect(nextDayOf('2028-02-29')).toBe('2028-03-01');
    expect(nextDayOf('2026-12-31')).toBe('2027-01-01');
    expect(() => nextDayOf('2026-02-30')).toThrow(/invalid date/);
  });
});
