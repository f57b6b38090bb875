/**
 * Intrinsic functions (`States.Format(...)` and friends) in JSONPath states, with the quirks
 * AWS shows: MathAdd rounds its arguments half up, StringSplit splits on any delimiter
 * character and drops empty tokens, StringToJson('') is null, Format prints objects the way
 * Java's Map.toString does. Failures are `States.Runtime`, as AWS reports them.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { runtimeError } from './errors.js';
import { HASH_ALGORITHMS } from './hash-algorithms.js';
import { InvalidPathError, PathNotFoundError } from './json-path.js';
import { resolvePath, type DataScope } from './references.js';
import { deepEqual } from './values.js';

type Arg =
  | { kind: 'literal'; value: unknown; template?: string }
  | { kind: 'path'; path: string }
  | { kind: 'call'; name: string; args: Arg[] };

const parseCache = new Map<string, Arg>();

export function isIntrinsic(expr: string): boolean {
  return expr.startsWith('States.');
}

class Parser {
  i = 0;
  constructor(readonly src: string) {}

  fail(msg: string): never {
    throw runtimeError(
      `The value for the field '${this.src}' must be a valid JSONPath or a valid intrinsic function call: ${msg}`,
    );
  }

  ws(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i] as string)) this.i++;
  }

  call(): Arg {
    const m = /^States\.[A-Za-z0-9]+/.exec(this.src.slice(this.i));
    if (!m) this.fail('expected States.<Function>');
    const name = m[0].slice('States.'.length);
    this.i += m[0].length;
    this.ws();
    if (this.src[this.i] !== '(') this.fail(`expected '(' after States.${name}`);
    this.i++;
    const args: Arg[] = [];
    this.ws();
    if (this.src[this.i] === ')') {
      this.i++;
      return { kind: 'call', name, args };
    }
    for (;;) {
      this.ws();
      args.push(this.arg());
      this.ws();
      const c = this.src[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ')') {
        this.i++;
        return { kind: 'call', name, args };
      }
      this.fail(`unexpected '${c ?? 'end of input'}' in arguments of States.${name}`);
    }
  }

  arg(): Arg {
    const s = this.src;
    const c = s[this.i];
    if (c === "'") return this.string();
    if (c === '$') return this.path();
    if (s.startsWith('States.', this.i)) return this.call();
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(s.slice(this.i));
    if (!m) this.fail(`unexpected '${c ?? 'end of input'}'`);
    this.i += m[0].length;
    return { kind: 'literal', value: JSON.parse(m[0]) };
  }

  string(): Arg {
    this.i++;
    let value = '';
    let template = '';
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (c === '\\') {
        const n = s[this.i + 1];
        if (n === undefined) this.fail('unterminated string');
        value += n;
        template += n === '{' || n === '}' ? `\\${n}` : n === '\\' ? '\\\\' : n;
        this.i += 2;
        continue;
      }
      if (c === "'") {
        this.i++;
        return { kind: 'literal', value, template };
      }
      value += c;
      template += c;
      this.i++;
    }
    this.fail('unterminated string literal');
  }

  path(): Arg {
    const s = this.src;
    const start = this.i;
    let depth = 0;
    let quote: string | null = null;
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']' || c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
      this.i++;
    }
    return { kind: 'path', path: s.slice(start, this.i).trim() };
  }
}

function parse(expr: string): Arg {
  const hit = parseCache.get(expr);
  if (hit) return hit;
  const p = new Parser(expr.trim());
  const node = p.call();
  p.ws();
  if (p.i !== p.src.length) p.fail('unexpected text after the function call');
  if (parseCache.size > 5000) parseCache.clear();
  parseCache.set(expr, node);
  return node;
}

/** Checks the syntax of an intrinsic call (for validation); throws on error. */
export function parseIntrinsic(expr: string): void {
  parse(expr);
}

export function evaluateIntrinsic(expr: string, scope: DataScope): unknown {
  return evalArg(parse(expr), scope).value;
}

interface Evaluated {
  value: unknown;
  template?: string;
}

function evalArg(arg: Arg, scope: DataScope): Evaluated {
  if (arg.kind === 'literal') return { value: arg.value, template: arg.template };
  if (arg.kind === 'path') {
    try {
      return { value: resolvePath(arg.path, scope) };
    } catch (e) {
      if (e instanceof PathNotFoundError || e instanceof InvalidPathError)
        throw runtimeError(`Invalid path '${arg.path}' : ${e.message}`);
      throw e;
    }
  }
  const fn = FUNCTIONS[arg.name];
  if (!fn) throw runtimeError(`Unsupported intrinsic function: States.${arg.name}`);
  const args = arg.args.map((a) => evalArg(a, scope));
  return { value: fn(args, `States.${arg.name}`) };
}

type Fn = (args: Evaluated[], name: string) => unknown;

const typeName = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;

function arity(name: string, args: Evaluated[], min: number, max = min): void {
  if (args.length < min || args.length > max)
    throw runtimeError(
      `${name} expects ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${args.length}`,
    );
}

function want<T>(
  name: string,
  v: unknown,
  type: 'string' | 'number' | 'array' | 'object' | 'boolean',
  pos: number,
): T {
  const t = typeName(v);
  if (t !== type) throw runtimeError(`${name}: argument ${pos} must be of type ${type}, got ${t}`);
  return v as T;
}

function integer(name: string, v: unknown, pos: number): number {
  const n = want<number>(name, v, 'number', pos);
  if (!Number.isInteger(n)) throw runtimeError(`${name}: argument ${pos} must be an integer, got ${n}`);
  return n;
}

/** Java's String.valueOf for JSON values, as States.Format prints its arguments. */
export function javaString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(javaString).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}=${javaString(x)}`)
    .join(', ')}}`;
}

const FUNCTIONS: Record<string, Fn> = {
  Format(args, name) {
    if (args.length < 1) throw runtimeError(`${name} expects at least 1 argument`);
    const first = args[0] as Evaluated;
    const template = first.template ?? want<string>(name, first.value, 'string', 1);
    const values = args.slice(1).map((a) => a.value);
    let out = '';
    let used = 0;
    for (let i = 0; i < template.length; i++) {
      const c = template[i];
      if (c === '\\' && i + 1 < template.length) {
        out += template[i + 1];
        i++;
      } else if (c === '{' && template[i + 1] === '}') {
        if (used >= values.length)
          throw runtimeError(`${name}: the number of arguments does not match the number of placeholders`);
        out += javaString(values[used++]);
        i++;
      } else out += c;
    }
    if (used !== values.length)
      throw runtimeError(`${name}: the number of arguments does not match the number of placeholders`);
    return out;
  },
  StringToJson(args, name) {
    arity(name, args, 1);
    const s = want<string>(name, args[0]?.value, 'string', 1);
    if (s.trim() === '') return null;
    try {
      return JSON.parse(s);
    } catch {
      throw runtimeError(`${name}: the argument is not valid JSON: ${s}`);
    }
  },
  JsonToString(args, name) {
    arity(name, args, 1);
    return JSON.stringify(args[0]?.value ?? null);
  },
  Array(args) {
    return args.map((a) => a.value);
  },
  ArrayPartition(args, name) {
    arity(name, args, 2);
    const arr = want<unknown[]>(name, args[0]?.value, 'array', 1);
    const size = integer(name, args[1]?.value, 2);
    if (size <= 0) throw runtimeError(`${name}: the chunk size must be greater than 0`);
    const out: unknown[][] = [];
    for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
    return out;
  },
  ArrayContains(args, name) {
    arity(name, args, 2);
    const arr = want<unknown[]>(name, args[0]?.value, 'array', 1);
    const needle = args[1]?.value;
    return arr.some((x) => deepEqual(x, needle));
  },
  ArrayRange(args, name) {
    arity(name, args, 3);
    const [start, end, stepBy] = [0, 1, 2].map((i) => integer(name, args[i]?.value, i + 1)) as [
      number,
      number,
      number,
    ];
    if (stepBy === 0) throw runtimeError(`${name}: the step must not be 0`);
    const out: number[] = [];
    if (stepBy > 0) for (let v = start; v <= end; v += stepBy) out.push(v);
    else for (let v = start; v >= end; v += stepBy) out.push(v);
    if (out.length > 1000) throw runtimeError(`${name}: the result has more than 1000 items`);
    return out;
  },
  ArrayGetItem(args, name) {
    arity(name, args, 2);
    const arr = want<unknown[]>(name, args[0]?.value, 'array', 1);
    const index = integer(name, args[1]?.value, 2);
    if (index < 0 || index >= arr.length) throw runtimeError(`${name}: index ${index} out of bounds`);
    return arr[index];
  },
  ArrayLength(args, name) {
    arity(name, args, 1);
    return want<unknown[]>(name, args[0]?.value, 'array', 1).length;
  },
  ArrayUnique(args, name) {
    arity(name, args, 1);
    const arr = want<unknown[]>(name, args[0]?.value, 'array', 1);
    const out: unknown[] = [];
    for (const x of arr) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  },
  Base64Encode(args, name) {
    arity(name, args, 1);
    const s = want<string>(name, args[0]?.value, 'string', 1);
    if (s.length > 10000) throw runtimeError(`${name}: the input is longer than 10000 characters`);
    return Buffer.from(s, 'utf8').toString('base64');
  },
  Base64Decode(args, name) {
    arity(name, args, 1);
    const s = want<string>(name, args[0]?.value, 'string', 1);
    if (s.length > 10000) throw runtimeError(`${name}: the input is longer than 10000 characters`);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw runtimeError(`${name}: the input is not valid base64`);
    return Buffer.from(s, 'base64').toString('utf8');
  },
  Hash(args, name) {
    arity(name, args, 2);
    const data = args[0]?.value;
    const algorithm = want<string>(name, args[1]?.value, 'string', 2);
    const algo = HASH_ALGORITHMS[algorithm];
    if (!algo)
      throw runtimeError(
        `${name}: unsupported algorithm '${algorithm}' (use ${Object.keys(HASH_ALGORITHMS).join(', ')})`,
      );
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    if (text.length > 10000) throw runtimeError(`${name}: the input is longer than 10000 characters`);
    return createHash(algo).update(text, 'utf8').digest('hex');
  },
  JsonMerge(args, name) {
    arity(name, args, 3);
    const a = want<Record<string, unknown>>(name, args[0]?.value, 'object', 1);
    const b = want<Record<string, unknown>>(name, args[1]?.value, 'object', 2);
    const deep = want<boolean>(name, args[2]?.value, 'boolean', 3);
    if (deep) throw runtimeError(`${name}: deep merge (true) is not supported; use false`);
    return { ...a, ...b };
  },
  MathRandom(args, name) {
    arity(name, args, 2, 3);
    const start = integer(name, args[0]?.value, 1);
    const end = integer(name, args[1]?.value, 2);
    if (args.length === 3) {
      const seed = integer(name, args[2]?.value, 3);
      return start + seededRandom(seed, end - start);
    }
    return end > start ? randomInt(start, end) : start;
  },
  MathAdd(args, name) {
    arity(name, args, 2);
    const a = want<number>(name, args[0]?.value, 'number', 1);
    const b = want<number>(name, args[1]?.value, 'number', 2);
    return Math.round(a) + Math.round(b);
  },
  StringSplit(args, name) {
    arity(name, args, 2);
    const s = want<string>(name, args[0]?.value, 'string', 1);
    const delims = want<string>(name, args[1]?.value, 'string', 2);
    const out: string[] = [];
    let token = '';
    for (const ch of s) {
      if (delims.includes(ch)) {
        if (token) out.push(token);
        token = '';
      } else token += ch;
    }
    if (token) out.push(token);
    return out;
  },
  UUID(args, name) {
    arity(name, args, 0);
    return randomUUID();
  },
};

/** A small deterministic generator for MathRandom's seed argument. */
function seededRandom(seed: number, range: number): number {
  if (range <= 0) return 0;
  let x = (seed ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return x % range;
}
