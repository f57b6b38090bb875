import { isDay } from './names.js';

/**
 * Key layouts of the access logs AWS services write into S3, and the list prefixes that hold
 * one day of them. Pure: the Terraform stack derives read grants from the same layouts the
 * workflow lists.
 *
 * | preset                   | key layout (AWS)                                                                   |
 * | ------------------------ | ---------------------------------------------------------------------------------- |
 * | `alb`, `elb`             | `[prefix/]AWSLogs/<account>/elasticloadbalancing/<region>/YYYY/MM/DD/<file>`        |
 * | `cloudfront`             | `[prefix]<distribution>.YYYY-MM-DD-HH.<unique>.gz` (standard logging, legacy)       |
 * | `cloudfront-partitioned` | `[prefix]<distribution>/YYYY/MM/DD/HH/<file>` (standard logging v2, partitioned)    |
 * | `s3-access`              | `[prefix]YYYY-MM-DD-hh-mm-ss-<unique>` (server access logs, simple prefix)          |
 * | `s3-access-partitioned`  | `[prefix]<account>/<region>/<bucket>/YYYY/MM/DD/YYYY-MM-DD-hh-mm-ss-<unique>`       |
 *
 * Neighbouring days: a load balancer names each file by the end of its interval (5 or 60
 * minutes) and files it under that end's day, so the last interval of a day (23:55–24:00, or
 * 23:00–24:00) lands under the next day's folder: `alb` and `elb` list the next day's folder too.
 * S3 server access logs with a simple prefix are named by the time the file was written, after
 * the requests, so `s3-access` also lists the next day. The day's own folder in turn holds lines
 * of the day before; lines outside the day are the analyzer's to count (`outOfRange`), not to
 * mix in. CloudFront names files by the hour the requests occurred, even when delivered late,
 * and partitioned server access logs default to event-time partitions (`PartitionDateSource`
 * `EventTime`): one day, no neighbour.
 */
export const LAYOUT_PRESETS = [
  'alb',
  'elb',
  'cloudfront',
  'cloudfront-partitioned',
  's3-access',
  's3-access-partitioned',
] as const;

export type LayoutPreset = (typeof LAYOUT_PRESETS)[number];

/** Placeholders a layout template may use; `{prefix}` is the source's key prefix. */
export const LAYOUT_PLACEHOLDERS = [
  'yyyy',
  'MM',
  'dd',
  'HH',
  'account',
  'region',
  'distribution',
  'bucket',
  'prefix',
] as const;

export type LayoutPlaceholder = (typeof LAYOUT_PLACEHOLDERS)[number];

/** Values of a layout's non-date placeholders. */
export interface LayoutParameters {
  /** Key prefix the service was configured with (ALB/ELB add the `/` after it themselves). */
  prefix?: string;
  /** AWS account id, 12 digits (`alb`, `elb`, `s3-access-partitioned`). */
  account?: string;
  /** AWS Region, e.g. `eu-west-1` (`alb`, `elb`, `s3-access-partitioned`). */
  region?: string;
  /** CloudFront distribution id, e.g. `E2QWRUHAPOMQZL` (`cloudfront*`). */
  distribution?: string;
  /** The logged (source) bucket of partitioned S3 server access logs. */
  bucket?: string;
}

/** Where a source's objects are: a preset or a template, and the values of its placeholders. */
export interface KeyLayout {
  /** A preset name, or a template such as `nginx/{yyyy}/{MM}/{dd}/`. */
  layout: LayoutPreset | string;
  parameters?: LayoutParameters;
  /**
   * Templates only: also list the next day's prefix, for layouts that name files after their
   * requests (by delivery or interval end). Presets know their own.
   */
  nextDay?: boolean;
}

/** One prefix to list for a day. */
export interface DayListPrefix {
  prefix: string;
  /** The day the prefix is named by: the day asked for, or the next one. */
  day: string;
  /** True for the next day's prefix, listed for the lines of the day that spill into it. */
  neighbour: boolean;
}

interface PresetDefinition {
  template: string;
  nextDay: boolean;
  /** Whether the service inserts a `/` after a non-empty prefix. */
  slashAfterPrefix: boolean;
}

const PRESETS: Record<LayoutPreset, PresetDefinition> = {
  alb: {
    template: '{prefix}AWSLogs/{account}/elasticloadbalancing/{region}/{yyyy}/{MM}/{dd}/',
    nextDay: true,
    slashAfterPrefix: true,
  },
  elb: {
    template: '{prefix}AWSLogs/{account}/elasticloadbalancing/{region}/{yyyy}/{MM}/{dd}/',
    nextDay: true,
    slashAfterPrefix: true,
  },
  cloudfront: {
    template: '{prefix}{distribution}.{yyyy}-{MM}-{dd}-',
    nextDay: false,
    slashAfterPrefix: false,
  },
  'cloudfront-partitioned': {
    template: '{prefix}{distribution}/{yyyy}/{MM}/{dd}/{HH}/',
    nextDay: false,
    slashAfterPrefix: false,
  },
  's3-access': { template: '{prefix}{yyyy}-{MM}-{dd}-', nextDay: true, slashAfterPrefix: false },
  's3-access-partitioned': {
    template: '{prefix}{account}/{region}/{bucket}/{yyyy}/{MM}/{dd}/',
    nextDay: false,
    slashAfterPrefix: false,
  },
};

const DATE_PLACEHOLDERS = new Set<string>(['yyyy', 'MM', 'dd', 'HH']);

/** Rules for parameter values: each must stay inside its own path segment. */
const PARAMETER_RULES: Record<keyof LayoutParameters, { pattern: RegExp; want: string }> = {
  prefix: { pattern: /^[^{}\0-\x1f]{0,512}$/, want: 'a key prefix without braces or control characters' },
  account: { pattern: /^\d{12}$/, want: 'a 12-digit AWS account id' },
  region: { pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, want: 'an AWS Region such as eu-west-1' },
  distribution: { pattern: /^[A-Z0-9]{1,64}$/, want: 'a CloudFront distribution id such as E2QWRUHAPOMQZL' },
  bucket: { pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, want: 'an S3 bucket name' },
};

/** A layout or its parameters are unusable; the message names the field or placeholder. */
export class LayoutError extends Error {
  override name = 'LayoutError';
}

export function isLayoutPreset(value: unknown): value is LayoutPreset {
  return typeof value === 'string' && (LAYOUT_PRESETS as readonly string[]).includes(value);
}

interface ResolvedLayout {
  template: string;
  nextDay: boolean;
  values: Record<string, string>;
}

/** The template a layout stands for, checked, with its parameter values (prefix adjusted). */
function resolve(layout: KeyLayout): ResolvedLayout {
  const params = layout.parameters ?? {};
  for (const [name, value] of Object.entries(params)) {
    const rule = PARAMETER_RULES[name as keyof LayoutParameters];
    if (!rule) throw new LayoutError(`unknown layout parameter "${name}"`);
    if (value === undefined) continue;
    if (typeof value !== 'string' || !rule.pattern.test(value)) {
      throw new LayoutError(
        `layout parameter "${name}": expected ${rule.want}, got ${JSON.stringify(value)}`,
      );
    }
  }
  const values: Record<string, string> = { ...params } as Record<string, string>;
  let template: string;
  let nextDay: boolean;
  if (isLayoutPreset(layout.layout)) {
    const preset = PRESETS[layout.layout];
    template = preset.template;
    nextDay = preset.nextDay;
    const prefix = params.prefix ?? '';
    values.prefix = preset.slashAfterPrefix && prefix !== '' && !prefix.endsWith('/') ? `${prefix}/` : prefix;
  } else {
    template = layout.layout;
    nextDay = layout.nextDay ?? false;
    values.prefix = params.prefix ?? '';
    checkTemplate(template);
  }
  for (const name of placeholdersOf(template)) {
    if (!DATE_PLACEHOLDERS.has(name) && values[name] === undefined) {
      throw new LayoutError(`layout "${layout.layout}": placeholder {${name}} needs the parameter "${name}"`);
    }
  }
  return { template, nextDay, values };
}

function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
}

function checkTemplate(template: string): void {
  if (typeof template !== 'string' || template === '') {
    throw new LayoutError(`layout: expected a preset (${LAYOUT_PRESETS.join(', ')}) or a template`);
  }
  if (/[\0-\x1f]/.test(template)) throw new LayoutError(`layout template "${template}": control character`);
  const stripped = template.replace(/\{[^{}]*\}/g, '');
  if (/[{}]/.test(stripped)) throw new LayoutError(`layout template "${template}": unbalanced brace`);
  const names = placeholdersOf(template);
  for (const name of names) {
    if (!(LAYOUT_PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new LayoutError(
        `layout template "${template}": unknown placeholder {${name}} (known: ${LAYOUT_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
      );
    }
  }
  for (const needed of ['yyyy', 'MM', 'dd']) {
    if (!names.includes(needed)) {
      throw new LayoutError(
        `layout template "${template}": needs the placeholder {${needed}} to address a day`,
      );
    }
  }
}

/** The day after `day` (`YYYY-MM-DD`, UTC). */
export function nextDayOf(day: string): string {
  if (!isDay(day)) throw new LayoutError(`invalid date "${day}", expected YYYY-MM-DD`);
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function expand(template: string, values: Record<string, string>, day: string, hour?: string): string {
  const [yyyy, MM, dd] = day.split('-') as [string, string, string];
  const dateValues: Record<string, string> = { yyyy, MM, dd };
  if (hour !== undefined) dateValues.HH = hour;
  return template.replace(/\{([^{}]*)\}/g, (_, name: string) => dateValues[name] ?? values[name]!);
}

const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

/**
 * The key prefixes to list for `day`'s objects, in key order: one per day, or 24 hourly ones
 * when the layout has `{HH}`, then the next day's for layouts whose files spill past midnight
 * (see the module notes). Each prefix ends where the layout stops being fixed for the day, so a
 * listing returns no other day's objects than those.
 *
 * @throws LayoutError for an invalid day, an unknown preset or placeholder, or a missing or
 * malformed parameter; the message names it.
 */
export function dayListPrefixes(layout: KeyLayout, day: string): DayListPrefix[] {
  if (!isDay(day)) throw new LayoutError(`invalid date "${day}", expected YYYY-MM-DD`);
  const { template, nextDay, values } = resolve(layout);
  const hourly = template.includes('{HH}');
  const forDay = (d: string, neighbour: boolean): DayListPrefix[] =>
    hourly
      ? HOURS.map((h) => ({ prefix: expand(template, values, d, h), day: d, neighbour }))
      : [{ prefix: expand(template, values, d), day: d, neighbour }];
  return [...forDay(day, false), ...(nextDay ? forDay(nextDayOf(day), true) : [])];
}

/**
 * The fixed part of a layout: its keys' prefix before the first date placeholder. Every day's
 * list prefix starts with it, so read grants on it cover the layout and nothing beside it.
 */
export function layoutKeyPrefix(layout: KeyLayout): string {
  const { template, values } = resolve(layout);
  const firstDate = template.search(/\{(yyyy|MM|dd|HH)\}/);
  return template.slice(0, firstDate).replace(/\{([^{}]*)\}/g, (_, name: string) => values[name]!);
}
