/**
 * Writes a deterministic nginx `combined` log with `$request_time $upstream_response_time`
 * (seed 42): Zipf-distributed paths, thousands of clients, realistic user agents, every
 * status class and ~0.1% malformed lines, plus a gzip copy. Files are reused when present.
 *
 *   BENCH_MB=200 node --import tsx bench/generate.ts
 */
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { seededRandom, weighted, zipfSampler } from './random.js';

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data');

const USER_AGENTS: readonly (readonly [string, number])[] = [
  [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    30,
  ],
  [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    14,
  ],
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    16,
  ],
  [
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
    12,
  ],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0', 6],
  [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    6,
  ],
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 4],
  ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 2],
  ['curl/8.5.0', 2],
  ['python-requests/2.32.3', 2],
  ['Go-http-client/2.0', 2],
  ['okhttp/4.12.0', 2],
  ['ELB-HealthChecker/2.0', 1],
  ['-', 1],
];

const STATUSES: readonly (readonly [number, number])[] = [
  [200, 780],
  [201, 20],
  [204, 25],
  [206, 5],
  [101, 2],
  [301, 25],
  [302, 20],
  [304, 35],
  [400, 12],
  [401, 10],
  [403, 8],
  [404, 35],
  [429, 3],
  [499, 2],
  [500, 6],
  [502, 4],
  [503, 3],
  [504, 2],
];

const METHODS: readonly (readonly [string, number])[] = [
  ['GET', 820],
  ['POST', 110],
  ['PUT', 25],
  ['DELETE', 10],
  ['HEAD', 20],
  ['OPTIONS', 10],
  ['PATCH', 5],
];

const SECTIONS = [
  'api/v1/users',
  'api/v1/orders',
  'api/v2/search',
  'static/js',
  'static/css',
  'img',
  'blog',
  'docs',
];

function makePaths(count: number, random: () => number): string[] {
  const paths = ['/', '/index.html', '/favicon.ico', '/robots.txt', '/health'];
  while (paths.length < count) {
    const section = SECTIONS[Math.floor(random() * SECTIONS.length)]!;
    const id = Math.floor(random() * 1e6).toString(36);
    const ext = section.startsWith('static/js')
      ? '.js'
      : section.startsWith('static/css')
        ? '.css'
        : section === 'img'
          ? '.png'
          : '';
    paths.push(`/${section}/${id}${ext}`);
  }
  return paths;
}

function makeClients(count: number, random: () => number): string[] {
  const clients: string[] = [];
  for (let i = 0; i < count; i++) {
    if (random() < 0.08) {
      clients.push(
        `2001:db8:${Math.floor(random() * 0xffff).toString(16)}::${Math.floor(random() * 0xffff).toString(16)}`,
      );
    } else {
      clients.push(
        `${1 + Math.floor(random() * 222)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`,
      );
    }
  }
  return clients;
}

const MALFORMED = [
  'GET /only-a-request-line HTTP/1.1',
  '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
  '<script>alert(1)</script>',
  '10.0.0.1 - - [22/Nov/2026:99:99:99 +0000] "GET / HTTP/1.1" 200 1',
  '',
];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Generates `megabytes` MB of log text into `path` (atomically). */
export async function generateCombinedLog(path: string, megabytes: number, seed = 42): Promise<void> {
  const random = seededRandom(seed);
  const paths = makePaths(20_000, random);
  const clients = makeClients(8_000, random);
  const pathIndex = zipfSampler(paths.length, 1.05, random);
  const clientIndex = zipfSampler(clients.length, 0.9, random);
  const userAgent = weighted(USER_AGENTS, random);
  const status = weighted(STATUSES, random);
  const method = weighted(METHODS, random);
  const target = megabytes * 1024 * 1024;
  const estimatedLines = target / 230;
  const dayStart = Date.UTC(2026, 10, 22) / 1000;
  const tmp = `${path}.partial`;
  const out = createWriteStream(tmp);
  let written = 0;
  let line = 0;
  let lastSecond = -1;
  let stamp = '';
  while (written < target) {
    let block = '';
    for (let k = 0; k < 2000; k++) {
      line++;
      if (random() < 0.001) {
        block += `${MALFORMED[Math.floor(random() * MALFORMED.length)]!}junk ${line}\n`;
        continue;
      }
      const second = Math.min(86_399, Math.floor((line / estimatedLines) * 86_400));
      if (second !== lastSecond) {
        lastSecond = second;
        const d = new Date((dayStart + second) * 1000);
        stamp = `22/Nov/2026:${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`;
      }
      const code = status();
      const p = paths[pathIndex()]!;
      const query =
        random() < 0.2 ? `?page=${Math.floor(random() * 50)}&ref=${Math.floor(random() * 1e6)}` : '';
      const bytes = code === 204 || code === 304 ? 0 : Math.floor(Math.exp(6 + random() * 6));
      const latency = -Math.log(1 - random()) * (code >= 500 ? 0.8 : 0.06);
      const upstream = random() < 0.1 ? '-' : (latency * 0.9).toFixed(3);
      const referer = random() < 0.4 ? 'https://www.example.com/' : '-';
      block += `${clients[clientIndex()]!} - - [${stamp}] "${method()} ${p}${query} HTTP/1.1" ${code} ${bytes} "${referer}" "${userAgent()}" ${latency.toFixed(3)} ${upstream}\n`;
    }
    written += Buffer.byteLength(block);
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(tmp, path);
}

export interface BenchFiles {
  plain: string;
  gzip: string;
}

/** The plain and gzip bench files for `megabytes`, generated if missing. */
export async function ensureBenchFiles(megabytes: number): Promise<BenchFiles> {
  mkdirSync(DATA_DIR, { recursive: true });
  const plain = join(DATA_DIR, `combined-${megabytes}mb.log`);
  const gzip = `${plain}.gz`;
  if (!existsSync(plain)) {
    console.log(`generating ${plain} …`);
    await generateCombinedLog(plain, megabytes);
  }
  if (!existsSync(gzip) || statSync(gzip).mtimeMs < statSync(plain).mtimeMs) {
    console.log(`compressing ${gzip} …`);
    await pipeline(createReadStream(plain), createGzip({ level: 6 }), createWriteStream(`${gzip}.partial`));
    renameSync(`${gzip}.partial`, gzip);
  }
  return { plain, gzip };
}

/**
 * A file of `example` lines repeated to about `megabytes` MB, named by the preset and a hash of
 * the line (so a changed example gets a new file); reused when present.
 */
export function ensurePresetFile(name: string, example: string, megabytes: number): string {
  mkdirSync(DATA_DIR, { recursive: true });
  const hash = createHash('sha256').update(example).digest('hex').slice(0, 8);
  const path = join(DATA_DIR, `preset-${name}-${hash}-${megabytes}mb.log`);
  if (existsSync(path)) return path;
  const line = `${example}\n`;
  const block = Buffer.from(line.repeat(Math.max(1, Math.floor(1e6 / Buffer.byteLength(line)))));
  const fd = openSync(`${path}.partial`, 'w');
  try {
    for (let written = 0; written < megabytes * 1e6; written += block.length) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  renameSync(`${path}.partial`, path);
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await ensureBenchFiles(Number(process.env.BENCH_MB ?? 1024));
  console.log(files);
}
