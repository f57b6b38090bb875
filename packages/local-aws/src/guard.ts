/**
 * Keeps the endpoint to the machine it runs on: only loopback host names are served (a page
 * whose DNS name was rebound to 127.0.0.1 still sends its own name as `Host`), and browser
 * requests made on behalf of another site (`Origin`, `Sec-Fetch-Site`) are refused, so a web
 * page cannot write to local AWS through a form or `fetch`.
 */
import type { IncomingHttpHeaders } from 'node:http';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether `host` names this endpoint: a loopback name (or `<bucket>.localhost`) with its port. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  if (!m) return false;
  const name = m[1]!;
  const hostPort = m[2] === undefined ? 80 : Number(m[2]);
  if (hostPort !== port) return false;
  // `*.localhost` resolves to loopback only (RFC 6761): virtual-hosted S3 requests use it
  return LOOPBACK_NAMES.has(name) || name.endsWith('.localhost');
}

/** Why a request is refused, or undefined when it may be served. */
export function refusal(headers: IncomingHttpHeaders, port: number): string | undefined {
  const host = headers.host;
  if (!isLoopbackHost(host, port)) {
    return `local AWS answers only requests for localhost, 127.0.0.1 or [::1] on port ${port}, not Host '${host ?? ''}'`;
  }
  const site = String(headers['sec-fetch-site'] ?? '').toLowerCase();
  if (site === 'cross-site' || site === 'same-site') {
    return `local AWS refuses requests a browser makes for another site (Sec-Fetch-Site: ${site})`;
  }
  const origin = headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host!.toLowerCase()}`) {
    return `local AWS refuses cross-origin browser requests (Origin ${origin})`;
  }
  return undefined;
}
