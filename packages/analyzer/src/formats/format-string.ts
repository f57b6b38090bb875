/**
 * Format strings: an nginx `log_format` (`$remote_addr - $remote_user [$time_local] …`) or an
 * Apache `LogFormat` (`%h %l %u %t "%r" %>s %b`) compiled once into a list of literal and field
 * segments. The parser walks the segments with `startsWith` / `indexOf`: no regular expression is
 * built from the string, and nothing is compiled per line. Units come from the directive: `%D` is
 * µs, `%T` s, `%{ms}T` ms, `$request_time` s, `$msec` epoch seconds with milliseconds.
 */

/** What a field of the format means to the summary. */
export type FieldRole =
  | 'client'
  | 'forwardedFor'
  /** `10/Oct/2000:13:55:36 -0700` (26 characters). */
  | 'timeClf'
  /** Apache `%t`: `[10/Oct/2000:13:55:36 -0700]` (28 characters, brackets included). */
  | 'timeClfBracketed'
  | 'timeIso'
  /** Epoch time; `scale` converts it to ms. */
  | 'epoch'
  | 'request'
  | 'method'
  | 'path'
  | 'status'
  | 'bytes'
  /** A latency; `scale` converts it to ms. */
  | 'latency'
  /** nginx `$upstream_response_time`: a list `0.010, 0.020 : 0.005` of seconds, summed. */
  | 'upstreamLatency'
  | 'userAgent'
  | 'host'
  | 'skip'
  /** A skipped value that may be an nginx upstream list (`a, b : c`). */
  | 'skipList';

export interface LiteralSegment {
  kind: 'literal';
  text: string;
}

export interface FieldSegment {
  kind: 'field';
  /** The directive as written, e.g. `$request_time` or `%{ms}T`. */
  name: string;
  role: FieldRole;
  /** Milliseconds per unit for `latency` and `epoch`; 1 otherwise. */
  scale: number;
}

export type Segment = LiteralSegment | FieldSegment;

export type FormatDialect = 'nginx' | 'apache';

/** A format string that cannot be compiled; the message names the position. */
export class FormatStringError extends Error {
  override readonly name = 'FormatStringError';
}

export interface RoleChoice {
  role: FieldRole;
  scale?: number;
  /** When several fields have the same role, the highest priority keeps it. */
  priority?: number;
}

const NGINX_VARIABLES: Record<string, RoleChoice> = {
  remote_addr: { role: 'client', priority: 2 },
  realip_remote_addr: { role: 'client', priority: 1 },
  http_x_forwarded_for: { role: 'forwardedFor' },
  proxy_add_x_forwarded_for: { role: 'forwardedFor' },
  time_local: { role: 'timeClf' },
  time_iso8601: { role: 'timeIso', priority: 1 },
  msec: { role: 'epoch', scale: 1000 },
  request: { role: 'request' },
  request_method: { role: 'method' },
  request_uri: { role: 'path', priority: 2 },
  uri: { role: 'path', priority: 1 },
  document_uri: { role: 'path', priority: 0 },
  status: { role: 'status' },
  body_bytes_sent: { role: 'bytes', priority: 2 },
  bytes_sent: { role: 'bytes', priority: 1 },
  request_time: { role: 'latency', scale: 1000 },
  upstream_response_time: { role: 'upstreamLatency' },
  http_user_agent: { role: 'userAgent' },
  host: { role: 'host', priority: 2 },
  http_host: { role: 'host', priority: 1 },
  server_name: { role: 'host', priority: 0 },
};

function nginxRole(name: string, extra: Readonly<Record<string, RoleChoice>>): RoleChoice {
  const known = extra[name] ?? NGINX_VARIABLES[name];
  if (known) return known;
  // Every other $upstream_* variable may hold one value per upstream tried.
  if (name.startsWith('upstream_')) return { role: 'skipList' };
  return { role: 'skip' };
}

function apacheRole(directive: string, argument: string | undefined): RoleChoice {
  const arg = argument?.toLowerCase();
  switch (directive) {
    case 'h':
      return { role: 'client', priority: 1 };
    case 'a':
      return { role: 'client', priority: arg === 'c' ? 0 : 2 };
    case 't':
      if (arg === undefined) return { role: 'timeClfBracketed' };
      if (arg === 'sec') return { role: 'epoch', scale: 1000 };
      if (arg === 'msec') return { role: 'epoch', scale: 1 };
      if (arg === 'usec') return { role: 'epoch', scale: 0.001 };
      return { role: 'skip' };
    case 'r':
      return { role: 'request' };
    case 'm':
      return { role: 'method' };
    case 'U':
      return { role: 'path' };
    case 's':
      return { role: 'status' };
    case 'b':
    case 'B':
      return { role: 'bytes', priority: 2 };
    case 'O':
      return { role: 'bytes', priority: 1 };
    case 'D':
      return { role: 'latency', scale: 0.001, priority: 2 };
    case 'T':
      if (arg === 'ms') return { role: 'latency', scale: 1, priority: 2 };
      if (arg === 'us') return { role: 'latency', scale: 0.001, priority: 2 };
      if (arg === undefined || arg === 's') return { role: 'latency', scale: 1000, priority: 1 };
      return { role: 'skip' };
    case 'v':
      return { role: 'host', priority: 2 };
    case 'V':
      return { role: 'host', priority: 1 };
    case 'i':
      if (arg === 'user-agent') return { role: 'userAgent' };
      if (arg === 'x-forwarded-for') return { role: 'forwardedFor' };
      if (arg === 'host') return { role: 'host', priority: 0 };
      return { role: 'skip' };
    default:
      return { role: 'skip' };
  }
}

/** Apache's final status `%>s` wins over the original `%s` / `%<s`. */
function apacheStatusPriority(modifier: string): number {
  return modifier.includes('>') ? 2 : modifier.includes('<') ? 0 : 1;
}

type Draft = Segment & { priority?: number };

function pushLiteral(out: Draft[], text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last?.kind === 'literal') last.text += text;
  else out.push({ kind: 'literal', text });
}

/**
 * The body of an nginx `log_format` as written in the configuration: `'…' '…'` pieces are joined
 * (the quotes are the configuration's, not the log's), and a bare string is taken as it is.
 */
function unquoteNginx(source: string): string {
  const trimmed = source.trim();
  if (!/^'/.test(trimmed) || !/'$/.test(trimmed)) return source;
  let out = '';
  let i = 0;
  while (i < trimmed.length) {
    while (i < trimmed.length && /\s/.test(trimmed[i]!)) i++;
    if (i >= trimmed.length) break;
    if (trimmed[i] !== "'") return source;
    const close = trimmed.indexOf("'", i + 1);
    if (close < 0) return source;
    out += trimmed.slice(i + 1, close);
    i = close + 1;
  }
  return out;
}

function parseNginx(source: string, extra: Readonly<Record<string, RoleChoice>>): Draft[] {
  const text = unquoteNginx(source);
  const out: Draft[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '$') {
      literal += c;
      i++;
      continue;
    }
    let name: string;
    let next: number;
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) throw new FormatStringError(`unterminated \${ at position ${i + 1} of the log_format`);
      name = text.slice(i + 2, close);
      next = close + 1;
    } else {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      name = text.slice(i + 1, j);
      next = j;
    }
    if (name === '') {
      literal += '$';
      i++;
      continue;
    }
    pushLiteral(out, literal);
    literal = '';
    const choice = nginxRole(name, extra);
    out.push({
      kind: 'field',
      name: `$${name}`,
      role: choice.role,
      scale: choice.scale ?? 1,
      priority: choice.priority ?? 0,
    });
    i = next;
  }
  pushLiteral(out, literal);
  return out;
}

function parseApache(source: string): Draft[] {
  // The configuration's escapes inside its quoted string: \" \\ \t \n.
  const text = source.replace(/\\(["\\tn])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c));
  const out: Draft[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '%') {
      literal += c;
      i++;
      continue;
    }
    if (text[i + 1] === '%') {
      literal += '%';
      i += 2;
      continue;
    }
    let j = i + 1;
    // Modifiers: status conditions (`%400,501{User-agent}i`, `%!200h`) and `<` / `>`.
    const modifierStart = j;
    while (j < text.length && /[<>!0-9,]/.test(text[j]!)) j++;
    const modifier = text.slice(modifierStart, j);
    let argument: string | undefined;
    if (text[j] === '{') {
      const close = text.indexOf('}', j + 1);
      if (close < 0) throw new FormatStringError(`unterminated %{ at position ${i + 1} of the LogFormat`);
      argument = text.slice(j + 1, close);
      j = close + 1;
    }
    const directive = text[j];
    if (directive === undefined || !/[A-Za-z^]/.test(directive)) {
      throw new FormatStringError(`expected a directive after % at position ${i + 1} of the LogFormat`);
    }
    let end = j + 1;
    // `%{…}^ti` / `%{…}^to`: trailers, two letters.
    if (directive === '^') end = j + 3;
    pushLiteral(out, literal);
    literal = '';
    const choice = directive === 's' ? { role: 'status' as const } : apacheRole(directive, argument);
    out.push({
      kind: 'field',
      name: text.slice(i, end),
      role: choice.role,
      scale: choice.scale ?? 1,
      priority: directive === 's' ? apacheStatusPriority(modifier) : (choice.priority ?? 0),
    });
    i = end;
  }
  pushLiteral(out, literal);
  return out;
}

/** Roles filled by one field at most; the others of the same role are demoted to `skip`. */
const SINGLE_ROLES: readonly FieldRole[] = [
  'client',
  'forwardedFor',
  'request',
  'method',
  'path',
  'status',
  'bytes',
  'latency',
  'upstreamLatency',
  'userAgent',
  'host',
];
const TIME_ROLES: readonly FieldRole[] = ['timeClf', 'timeClfBracketed', 'timeIso', 'epoch'];

/**
 * Compiles a format string into segments (see the module comment). `extra` gives roles to
 * further nginx-style variables (presets use it for other tools' fields, e.g. Traefik's duration
 * in ms).
 */
export function compileFormatString(
  dialect: FormatDialect,
  source: string,
  extra: Readonly<Record<string, RoleChoice>> = {},
): Segment[] {
  if (source.trim() === '') throw new FormatStringError(`the ${dialect} format string is empty`);
  const drafts = dialect === 'nginx' ? parseNginx(source, extra) : parseApache(source);
  const fields = drafts.filter((d): d is FieldSegment & { priority?: number } => d.kind === 'field');
  if (fields.length === 0) throw new FormatStringError(`the ${dialect} format string has no fields`);
  const keep = new Set<Draft>();
  const best = (candidates: (FieldSegment & { priority?: number })[]): void => {
    let top: (FieldSegment & { priority?: number }) | undefined;
    for (const f of candidates) if (top === undefined || (f.priority ?? 0) > (top.priority ?? 0)) top = f;
    if (top) keep.add(top);
  };
  for (const role of SINGLE_ROLES) best(fields.filter((f) => f.role === role));
  best(fields.filter((f) => TIME_ROLES.includes(f.role)));
  const segments: Segment[] = drafts.map((d) => {
    if (d.kind === 'literal') return { kind: 'literal', text: d.text };
    let role = d.role;
    if (role !== 'skip' && role !== 'skipList' && !keep.has(d))
      role = d.role === 'upstreamLatency' ? 'skipList' : 'skip';
    return { kind: 'field', name: d.name, role, scale: d.scale };
  });
  for (let k = 1; k < segments.length; k++) {
    const a = segments[k - 1]!;
    const b = segments[k]!;
    if (a.kind === 'field' && b.kind === 'field' && fixedLength(a.role) === 0) {
      throw new FormatStringError(
        `${a.name} and ${b.name} are not separated by any text, so the line cannot be split between them`,
      );
    }
  }
  return segments;
}

/** Length of a fixed-width field, 0 for variable ones. */
export function fixedLength(role: FieldRole): number {
  if (role === 'timeClf') return 26;
  if (role === 'timeClfBracketed') return 28;
  return 0;
}
