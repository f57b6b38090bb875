/**
 * The console's HTTP server on 127.0.0.1: the page and its scripts, and `POST /api`, which is
 * the Step Functions API of the service it is given (the page talks to nothing else). Requests
 * must name this server in `Host` (no DNS rebinding), and a browser's `POST` must come from
 * this origin (no cross-site requests).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleRequest, type StepFunctionsService } from '@logflow/local-sfn';

export interface ConsoleOptions {
  /** The service whose API the page uses (e.g. from `mountStepFunctions({ onOpen })`). */
  service: StepFunctionsService;
  /** Port on 127.0.0.1; 0, the default, picks a free one. */
  port?: number;
}

export interface RunningConsole {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  close(): Promise<void>;
}

const ASSETS = fileURLToPath(new URL('./assets/', import.meta.url));
const dagreFile = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@dagrejs/dagre')),
  'dagre.min.js',
);

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: path.join(ASSETS, 'index.html'), type: 'text/html; charset=utf-8' },
  '/app.js': { file: path.join(ASSETS, 'app.js'), type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: path.join(ASSETS, 'app.css'), type: 'text/css; charset=utf-8' },
  '/vendor/dagre.min.js': { file: dagreFile, type: 'text/javascript; charset=utf-8' },
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  res.end(`${message}\n`);
}

/** Whether `Host` names this server, and a browser request's `Origin` is this server's. */
export function allowed(
  req: IncomingMessage,
  port: number,
): { ok: true } | { ok: false; status: number; why: string } {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = req.headers.host ?? '';
  if (!hosts.includes(host)) return { ok: false, status: 421, why: `Host '${host}' is not this console` };
  const origin = req.headers.origin;
  if (req.method !== 'GET' && req.method !== 'HEAD' && origin !== undefined && origin !== `http://${host}`)
    return { ok: false, status: 403, why: `Origin '${origin}' may not use this console` };
  return { ok: true };
}

export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  let port = options.port ?? 0;
  const server = createServer((req, res) => {
    const check = allowed(req, port);
    if (!check.ok) return refuse(res, check.status, check.why);
    const url = new URL(req.url ?? '/', 'http://console');
    if (req.method === 'POST' && url.pathname === '/api')
      return void handleRequest(options.service, req, res);
    const asset = FILES[url.pathname];
    if ((req.method === 'GET' || req.method === 'HEAD') && asset)
      return void readFile(asset.file).then(
        (body) => {
          res.writeHead(200, {
            'content-type': asset.type,
            'content-length': body.length,
            ...SECURITY_HEADERS,
          });
          res.end(req.method === 'HEAD' ? undefined : body);
        },
        () => refuse(res, 500, 'asset missing'),
      );
    refuse(res, 404, 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
