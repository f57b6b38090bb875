/**
 * JSONPath Choice rules: comparison operators (and their `…Path` forms), `Is*` tests and the
 * And/Or/Not combinators. A comparison between values of different types is false, as on AWS.
 */
import { runtimeError } from './errors.js';
import { PathNotFoundError } from './json-path.js';
import { resolvePath, resolvePathOrFail, type DataScope } from './references.js';
import { parseTimestamp } from './timestamps.js';

export type ChoiceRule = Record<string, unknown>;

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
type Op = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

const COMPARISONS = new Map<string, { kind: Kind; op: Op; path: boolean }>();
for (const kind of ['String', 'Numeric', 'Boolean', 'Timestamp'] as Kind[])
  for (const op of ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'] as Op[]) {
    if (kind === 'Boolean' && op !== 'Equals') continue;
    COMPARISONS.set(`${kind}${op}`, { kind, op, path: false });
    COMPARISONS.set(`${kind}${op}Path`, { kind, op, path: true });
  }

function compare(op: Op, c: number): boolean {
  switch (op) {
    case 'Equals':
      return c === 0;
    case 'LessThan':
      return c < 0;
    case 'GreaterThan':
      return c > 0;
    case 'LessThanEquals':
      return c <= 0;
    case 'GreaterThanEquals':
      return c >= 0;
  }
}

function typed(kind: Kind, a: unknown, b: unknown): [number | string | bigint | boolean, typeof a] | null {
  switch (kind) {
    case 'String':
      return typeof a === 'string' && typeof b === 'string' ? [a, b] : null;
    case 'Numeric':
      return typeof a === 'number' && typeof b === 'number' ? [a, b] : null;
    case 'Boolean':
      return typeof a === 'boolean' && typeof b === 'boolean' ? [a, b] : null;
    case 'Timestamp': {
      const x = parseTimestamp(a);
      const y = parseTimestamp(b);
      return x === null || y === null ? null : [x, y];
    }
  }
}

/** `*` matches any run of characters; `\*` and `\\` are literal. */
export function stringMatches(value: string, pattern: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      re += (pattern[i + 1] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i++;
    } else if (c === '*') re += '.*';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 's').test(value);
}

export function evaluateRule(rule: ChoiceRule, scope: DataScope): boolean {
  if (Array.isArray(rule.And)) return (rule.And as ChoiceRule[]).every((r) => evaluateRule(r, scope));
  if (Array.isArray(rule.Or)) return (rule.Or as ChoiceRule[]).some((r) => evaluateRule(r, scope));
  if (rule.Not && typeof rule.Not === 'object') return !evaluateRule(rule.Not as ChoiceRule, scope);
  const variable = rule.Variable;
  if (typeof variable !== 'string') throw runtimeError('A choice rule has no Variable field');
  if ('IsPresent' in rule) {
    let present = true;
    try {
      resolvePath(variable, scope);
    } catch (e) {
      if (!(e instanceof PathNotFoundError)) throw e;
      present = false;
    }
    return present === rule.IsPresent;
  }
  const value = resolvePathOrFail(variable, scope);
  for (const key of Object.keys(rule)) {
    if (key === 'Variable' || key === 'Next' || key === 'Assign' || key === 'Comment') continue;
    const expected = rule[key];
    switch (key) {
      case 'IsNull':
        return (value === null) === expected;
      case 'IsBoolean':
        return (typeof value === 'boolean') === expected;
      case 'IsNumeric':
        return (typeof value === 'number') === expected;
      case 'IsString':
        return (typeof value === 'string') === expected;
      case 'IsTimestamp':
        return (parseTimestamp(value) !== null) === expected;
      case 'StringMatches':
        return typeof value === 'string' && typeof expected === 'string' && stringMatches(value, expected);
    }
    const cmp = COMPARISONS.get(key);
    if (!cmp) continue;
    const other = cmp.path ? resolvePathOrFail(String(expected), scope) : expected;
    const pair = typed(cmp.kind, value, other);
    if (!pair) return false;
    const [a, b] = pair as [number | string | bigint | boolean, number | string | bigint | boolean];
    const c = a === b ? 0 : a < b ? -1 : 1;
    return compare(cmp.op, c);
  }
  throw runtimeError(`A choice rule on '${variable}' has no comparison operator`);
}
