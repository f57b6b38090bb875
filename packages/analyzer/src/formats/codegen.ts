/**
 * Turns the segments of a format string into the source of one straight-line parse function:
 * each literal and field becomes its own few statements with its constants inlined, so a line is
 * read with no loop over segments and no dispatch on field kinds. The generated code only ever
 * embeds the format's text as JSON string literals and numbers (never as code).
 */
import { fixedLength, type Segment } from './format-string.js';

export interface CodegenOptions {
  optionalFrom: number;
  allowTrailing: boolean;
  /** Client from the first public X-Forwarded-For address (when the format logs it). */
  forwardedClient: boolean;
  /** The format has no client field but X-Forwarded-For: its first address is the client. */
  clientOnlyForwarded: boolean;
}

const q = (text: string): string => JSON.stringify(text);

/**
 * Body of `function (s, start, end, r)` (called as a method of the parser: `this.reason`,
 * `this.matched`) using the helpers named in `HELPERS`.
 */
export function parseFunctionBody(segments: readonly Segment[], o: CodegenOptions): string {
  const n = segments.length;
  const out: string[] = [
    'let p = start; let e = 0; let dash = false; let matched = 0;',
    'let time = NaN; let status = 0; let bytes = 0; let latency = NaN; let upstream = NaN;',
    'let clientFrom = -1; let clientTo = -1; let forwardedFrom = -1; let forwardedTo = -1;',
    "let requestFrom = -1; let requestTo = -1; let method = ''; let path = ''; let agent = ''; let host = '';",
    'body: {',
  ];
  const fail = (reason: string) => `{ this.reason = ${q(reason)}; return false; }`;
  for (let k = 0; k < n; k++) {
    const segment = segments[k]!;
    if (k === o.optionalFrom) out.push('if (p === end) break body;');
    if (segment.kind === 'literal') {
      const text = segment.text;
      if (text.length === 1) {
        out.push(`if (p >= end || s.charCodeAt(p) !== ${text.charCodeAt(0)}) ${fail(`expected "${text}"`)}`);
      } else {
        out.push(
          `if (p + ${text.length} > end || !s.startsWith(${q(text)}, p)) ${fail(`expected "${text}"`)}`,
        );
      }
      out.push(`p += ${text.length};`);
      continue;
    }
    const { role, name, scale } = segment;
    const isList = role === 'skipList' || role === 'upstreamLatency';
    const width = fixedLength(role);
    const next = segments[k + 1];
    if (width > 0) {
      out.push(`e = p + ${width}; if (e > end) ${fail(`expected ${name}`)}`);
    } else if (next === undefined) {
      if (isList) out.push('e = listEnd(s, p, end);');
      else if (o.allowTrailing) out.push("e = s.indexOf(' ', p); if (e < 0 || e > end) e = end;");
      else out.push('e = end;');
    } else {
      const literal = next.kind === 'literal' ? next.text : '';
      if (isList && literal.charCodeAt(0) === 32) out.push('e = listEnd(s, p, end);');
      else {
        const quoted = literal.charCodeAt(0) === 34;
        const last = k + 2 === n;
        const finder = last
          ? o.allowTrailing
            ? 'findLastTrailing'
            : 'findLast'
          : quoted
            ? 'findQuoted'
            : 'find';
        out.push(`e = ${finder}(s, p, end, ${q(literal)});`);
        if (k + 1 === o.optionalFrom) out.push('if (e < 0) e = end;');
        out.push(`if (e < 0) ${fail(`expected "${literal}" after ${name}`)}`);
      }
    }
    out.push('matched++;');
    if (role !== 'skip' && role !== 'skipList' && role !== 'request' && width === 0)
      out.push('dash = e - p === 1 && s.charCodeAt(p) === 45;');
    const invalid = fail(`invalid ${name}`);
    switch (role) {
      case 'client':
        out.push('if (!dash) { clientFrom = p; clientTo = e; }');
        break;
      case 'forwardedFor':
        out.push('if (!dash) { forwardedFrom = p; forwardedTo = e; }');
        break;
      case 'timeClf':
        out.push(`time = parseClfTime(s, p); if (time !== time) ${invalid}`);
        break;
      case 'timeClfBracketed':
        out.push(`if (s.charCodeAt(p) !== 91 || s.charCodeAt(e - 1) !== 93) ${fail(`expected [${name}]`)}`);
        out.push(`time = parseClfTime(s, p + 1); if (time !== time) ${invalid}`);
        break;
      case 'timeIso':
        out.push(`time = parseIsoTime(s, p, e); if (time !== time) ${invalid}`);
        break;
      case 'epoch':
        out.push(
          `time = parseDecimal(s, p, e, ${scale}); if (!(time >= 0)) ${invalid} time = Math.floor(time);`,
        );
        break;
      case 'request':
        out.push('requestFrom = p; requestTo = e;');
        break;
      case 'method':
        out.push('if (!dash) method = methodOf(s, p, e);');
        break;
      case 'path':
        out.push('if (!dash) path = pathOf(s, p, e);');
        break;
      case 'status':
        out.push(`if (!dash) { status = e - p <= 3 ? parseUint(s, p, e) : -1; if (status < 0) ${invalid} }`);
        break;
      case 'bytes':
        out.push(`if (!dash) { bytes = parseUint(s, p, e); if (bytes < 0) ${invalid} }`);
        break;
      case 'latency':
        out.push(`if (!dash) { latency = parseDecimal(s, p, e, ${scale}); if (!(latency >= 0)) ${invalid} }`);
        break;
      case 'upstreamLatency':
        out.push(
          `if (!dash) { upstream = sumTimeListMs(s, p, e); if (upstream !== upstream) ${invalid} if (upstream < 0) upstream = NaN; }`,
        );
        break;
      case 'userAgent':
        out.push('if (!dash) agent = s.substring(p, e);');
        break;
      case 'host':
        out.push('if (!dash) host = s.substring(p, e);');
        break;
      case 'skip':
      case 'skipList':
        break;
    }
    out.push('p = e;');
  }
  out.push('}');
  out.push(
    o.allowTrailing
      ? `if (p !== end && s.charCodeAt(p) !== 32) ${fail('unexpected text after the last field')}`
      : `if (p !== end) ${fail('unexpected text after the last field')}`,
  );
  out.push(
    'r.timestampMs = time;',
    'if (requestFrom >= 0) parseRequestLine(s, requestFrom, requestTo, r); else { r.method = method; r.path = path; }',
    'r.status = status; r.bytes = bytes;',
    // The upstream time is the fallback latency, for formats without a request time.
    'r.latencyMs = latency === latency ? latency : upstream;',
    "let client = '';",
  );
  if (o.forwardedClient)
    out.push('if (forwardedFrom >= 0) client = firstPublicAddress(s, forwardedFrom, forwardedTo, false);');
  else if (o.clientOnlyForwarded)
    out.push(
      'if (forwardedFrom >= 0 && clientFrom < 0) client = firstPublicAddress(s, forwardedFrom, forwardedTo, true);',
    );
  out.push(
    "if (client === '' && clientFrom >= 0) client = clientOf(s, clientFrom, clientTo, false);",
    'r.client = client; r.userAgent = agent; r.host = host; this.matched = matched;',
    'return true;',
  );
  return out.join('\n');
}
