/**
 * JSONPath as Step Functions evaluates it (Jayway semantics): a *definite* path (only names and
 * single indexes) yields one value and fails when nothing is there; an *indefinite* path
 * (wildcards, slices, unions, deep scan, filters) yields the array of matches, `[]` when none.
 * Simple segments are compiled to closures for speed; filter expressions go to jsonpath-plus.
 */
import { JSONPath } from 'jsonpath-plus';

type Segment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'names'; names: string[] }
  | { kind: 'indexes'; indexes: number[] }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'scan'; name: string | null }
  | { kind: 'length' };

/** Thrown when a definite path finds nothing, with Jayway's message. */
export class PathNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathNotFoundError';
  }
}

export class InvalidPathError extends Error {
  constructor(path: string, reason: string) {
    super(`Invalid path '${path}': ${reason}`);
    this.name = 'InvalidPathError';
  }
}

export interface CompiledPath {
  readonly source: string;
  readonly definite: boolean;
  readonly segments: readonly Segment[];
  /** The definite value (throws PathNotFoundError) or the array of matches. */
  evaluate(root: unknown): unknown;
}

const cache = new Map<string, CompiledPath>();

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** `$['a']['b'][0]` — the normalised form Jayway prints in its messages. */
function normalised(segments: readonly Segment[]): string {
  let out = '$';
  for (const s of segments) {
    if (s.kind === 'name') out += `['${s.name}']`;
    else if (s.kind === 'index') out += `[${s.index}]`;
    else if (s.kind === 'wildcard') out += '[*]';
    else if (s.kind === 'names') out += `[${s.names.map((n) => `'${n}'`).join(',')}]`;
    else if (s.kind === 'indexes') out += `[${s.indexes.join(',')}]`;
    else if (s.kind === 'scan') out += `..${s.name === null ? '*' : `['${s.name}']`}`;
    else if (s.kind === 'slice')
      out += `[${s.start ?? ''}:${s.end ?? ''}${s.step === undefined ? '' : `:${s.step}`}]`;
    else out += '.length()';
  }
  return out;
}

function parseSegments(path: string): Segment[] | 'filter' {
  if (!path.startsWith('$')) throw new InvalidPathError(path, 'a path must start with $');
  const segs: Segment[] = [];
  let i = 1;
  const n = path.length;
  const readName = (): string => {
    const start = i;
    while (i < n && path[i] !== '.' && path[i] !== '[') i++;
    return path.slice(start, i);
  };
  while (i < n) {
    const c = path[i];
    if (c === '.') {
      if (path[i + 1] === '.') {
        i += 2;
        if (path[i] === '*') {
          i++;
          segs.push({ kind: 'scan', name: null });
        } else if (path[i] === '[') {
          const before = segs.length;
          i = parseBracket(path, i, segs);
          const last = segs[before];
          if (segs.length !== before + 1 || !last || (last.kind !== 'name' && last.kind !== 'wildcard'))
            return 'filter';
          segs[before] = { kind: 'scan', name: last.kind === 'name' ? last.name : null };
        } else {
          const name = readName();
          if (!name) throw new InvalidPathError(path, 'empty property name');
          segs.push({ kind: 'scan', name });
        }
        continue;
      }
      i++;
      if (path[i] === '*') {
        i++;
        segs.push({ kind: 'wildcard' });
        continue;
      }
      const name = readName();
      if (!name) throw new InvalidPathError(path, 'empty property name');
      if (name === 'length()' && i === n) segs.push({ kind: 'length' });
      else segs.push({ kind: 'name', name });
    } else if (c === '[') {
      if (path[i + 1] === '?' || path[i + 1] === '(') return 'filter';
      i = parseBracket(path, i, segs);
    } else {
      throw new InvalidPathError(path, `unexpected '${c}' at ${i}`);
    }
  }
  return segs;
}

/** Parses one `[...]` starting at `i`; returns the index after `]`. */
function parseBracket(path: string, i: number, segs: Segment[]): number {
  let j = i + 1;
  const n = path.length;
  const skipWs = () => {
    while (path[j] === ' ') j++;
  };
  skipWs();
  if (path[j] === "'" || path[j] === '"') {
    const names: string[] = [];
    for (;;) {
      const q = path[j];
      if (q !== "'" && q !== '"') throw new InvalidPathError(path, 'expected a quoted name');
      j++;
      let name = '';
      while (j < n) {
        const ch = path[j];
        if (ch === '\\' && path[j + 1] === q) {
          name += q;
          j += 2;
          continue;
        }
        if (ch === q) {
          // the closing quote is the one followed by `]` or `,`
          let k = j + 1;
          while (path[k] === ' ') k++;
          if (path[k] === ']' || path[k] === ',') break;
        }
        name += ch;
        j++;
      }
      if (j >= n) throw new InvalidPathError(path, 'unterminated quoted name');
      j++;
      names.push(name);
      skipWs();
      if (path[j] === ',') {
        j++;
        skipWs();
        continue;
      }
      if (path[j] !== ']') throw new InvalidPathError(path, "expected ']'");
      segs.push(names.length === 1 ? { kind: 'name', name: names[0] as string } : { kind: 'names', names });
      return j + 1;
    }
  }
  const close = path.indexOf(']', j);
  if (close < 0) throw new InvalidPathError(path, "missing ']'");
  const body = path.slice(j, close).trim();
  if (body === '*') segs.push({ kind: 'wildcard' });
  else if (body.includes(':')) {
    const parts = body.split(':').map((p) => p.trim());
    const num = (p: string | undefined) => {
      if (p === undefined || p === '') return undefined;
      if (!/^-?\d+$/.test(p)) throw new InvalidPathError(path, `bad slice '${body}'`);
      return Number(p);
    };
    segs.push({ kind: 'slice', start: num(parts[0]), end: num(parts[1]), step: num(parts[2]) });
  } else if (body.includes(',')) {
    const indexes = body.split(',').map((p) => {
      if (!/^\s*-?\d+\s*$/.test(p)) throw new InvalidPathError(path, `bad index list '${body}'`);
      return Number(p);
    });
    segs.push({ kind: 'indexes', indexes });
  } else if (/^-?\d+$/.test(body)) segs.push({ kind: 'index', index: Number(body) });
  else throw new InvalidPathError(path, `bad bracket expression '[${body}]'`);
  return close + 1;
}

function isDefinite(segments: readonly Segment[]): boolean {
  return segments.every((s) => s.kind === 'name' || s.kind === 'index' || s.kind === 'length');
}

function collect(segments: readonly Segment[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const v of current) step(seg, v, next);
    current = next;
  }
  return current;
}

function step(seg: Segment, v: unknown, out: unknown[]): void {
  switch (seg.kind) {
    case 'name':
      if (isObject(v) && hasOwn(v, seg.name)) out.push(v[seg.name]);
      return;
    case 'names':
      if (isObject(v)) for (const name of seg.names) if (hasOwn(v, name)) out.push(v[name]);
      return;
    case 'index':
      if (Array.isArray(v)) {
        const idx = seg.index < 0 ? v.length + seg.index : seg.index;
        if (idx >= 0 && idx < v.length) out.push(v[idx]);
      }
      return;
    case 'indexes':
      if (Array.isArray(v))
        for (const i of seg.indexes) {
          const idx = i < 0 ? v.length + i : i;
          if (idx >= 0 && idx < v.length) out.push(v[idx]);
        }
      return;
    case 'wildcard':
      if (Array.isArray(v)) out.push(...v);
      else if (isObject(v)) out.push(...Object.values(v));
      return;
    case 'slice': {
      if (!Array.isArray(v)) return;
      const len = v.length;
      const stepBy = seg.step ?? 1;
      if (stepBy <= 0) return;
      const norm = (x: number) => (x < 0 ? Math.max(0, len + x) : Math.min(len, x));
      const start = seg.start === undefined ? 0 : norm(seg.start);
      const end = seg.end === undefined ? len : norm(seg.end);
      for (let k = start; k < end; k += stepBy) out.push(v[k]);
      return;
    }
    case 'scan':
      scan(v, seg.name, out);
      return;
    case 'length':
      if (Array.isArray(v)) out.push(v.length);
      else if (isObject(v)) out.push(Object.keys(v).length);
      else if (typeof v === 'string') out.push(v.length);
      return;
  }
}

function scan(v: unknown, name: string | null, out: unknown[]): void {
  if (Array.isArray(v)) {
    if (name === null) out.push(...v);
    for (const x of v) scan(x, name, out);
  } else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (name === null || k === name) out.push(x);
      scan(x, name, out);
    }
  }
}

function definiteEvaluator(segments: readonly Segment[]): (root: unknown) => unknown {
  return (root) => {
    let v: unknown = root;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i] as Segment;
      const isLast = i === segments.length - 1;
      if (seg.kind === 'name') {
        if (isObject(v) && hasOwn(v, seg.name)) {
          v = v[seg.name];
          continue;
        }
        const prefix = normalised(segments.slice(0, i + 1));
        throw new PathNotFoundError(
          isLast || isObject(v) ? `No results for path: ${prefix}` : `Missing property in path ${prefix}`,
        );
      } else if (seg.kind === 'index') {
        if (Array.isArray(v)) {
          const idx = seg.index < 0 ? v.length + seg.index : seg.index;
          if (idx >= 0 && idx < v.length) {
            v = v[idx];
            continue;
          }
        }
        throw new PathNotFoundError(`No results for path: ${normalised(segments.slice(0, i + 1))}`);
      } else {
        const out: unknown[] = [];
        step(seg, v, out);
        if (out.length === 0) throw new PathNotFoundError(`No results for path: ${normalised(segments)}`);
        v = out[0];
      }
    }
    return v;
  };
}

/** Compiles (and caches) a JSONPath that starts with `$`. */
export function compilePath(path: string): CompiledPath {
  const hit = cache.get(path);
  if (hit) return hit;
  const parsed = parseSegments(path);
  let compiled: CompiledPath;
  if (parsed === 'filter') {
    compiled = {
      source: path,
      definite: false,
      segments: [],
      evaluate: (root) =>
        (JSONPath({ path, json: root as object, wrap: true, eval: 'safe' }) as unknown[] | undefined) ?? [],
    };
  } else if (isDefinite(parsed)) {
    compiled = { source: path, definite: true, segments: parsed, evaluate: definiteEvaluator(parsed) };
  } else {
    compiled = { source: path, definite: false, segments: parsed, evaluate: (root) => collect(parsed, root) };
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(path, compiled);
  return compiled;
}

/** Whether a definite path finds a value (for Choice `IsPresent`). */
export function pathExists(path: string, root: unknown): boolean {
  const c = compilePath(path);
  if (!c.definite) return true;
  try {
    c.evaluate(root);
    return true;
  } catch (e) {
    if (e instanceof PathNotFoundError) return false;
    throw e;
  }
}

/**
 * Writes `value` at a definite reference path (ResultPath), copying every object on the way so
 * the input stays untouched. Missing intermediate objects are created.
 */
export function setPath(root: unknown, path: string, value: unknown): unknown {
  const c = compilePath(path);
  if (!c.definite) throw new InvalidPathError(path, 'a reference path must be definite');
  const segs = c.segments;
  if (segs.length === 0) return value;
  const write = (node: unknown, i: number): unknown => {
    const seg = segs[i] as Segment;
    const last = i === segs.length - 1;
    if (seg.kind === 'name') {
      if (node !== undefined && !isObject(node))
        throw new PathNotFoundError(`cannot set '${seg.name}' on a non-object`);
      const obj: Record<string, unknown> = node === undefined ? {} : { ...node };
      obj[seg.name] = last ? value : write(obj[seg.name], i + 1);
      return obj;
    }
    if (seg.kind === 'index') {
      if (!Array.isArray(node)) throw new PathNotFoundError(`cannot index a non-array with [${seg.index}]`);
      const idx = seg.index < 0 ? node.length + seg.index : seg.index;
      if (idx < 0 || idx >= node.length) throw new PathNotFoundError(`index ${seg.index} out of bounds`);
      const arr = node.slice();
      arr[idx] = last ? value : write(arr[idx], i + 1);
      return arr;
    }
    throw new InvalidPathError(path, 'a reference path must be definite');
  };
  return write(root, 0);
}
