/**
 * Bundles the AnalyzeLogData Lambda: one minified CommonJS file for the Node.js 22 runtime,
 * with the AWS SDK inside (the function does not depend on the runtime's SDK version), and a
 * source map. Run after `tsc` by the package's `build` script; checks that the bundle loads
 * with plain `node` and exports `handler`.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const ANALYZE_LOG_DATA_ENTRY = path.join(packageDir, 'src/lambda/analyze-log-data.ts');
export const ANALYZE_LOG_DATA_BUNDLE = path.join(packageDir, 'dist/lambda/analyze-log-data/index.cjs');

export async function bundleAnalyzeLogData(outfile = ANALYZE_LOG_DATA_BUNDLE): Promise<Metafile> {
  const result = await build({
    entryPoints: [ANALYZE_LOG_DATA_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    keepNames: true,
    sourcemap: true,
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  return result.metafile;
}

/** Load the bundle in a fresh `node` (no tsx, no workspace resolution) and check its export. */
export function checkBundleLoads(file = ANALYZE_LOG_DATA_BUNDLE): void {
  execFileSync(
    process.execPath,
    [
      '-e',
      `const m = require(${JSON.stringify(file)}); if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(1); }`,
    ],
    { stdio: ['ignore', 'inherit', 'pipe'], cwd: path.dirname(file) },
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const metafile = await bundleAnalyzeLogData();
  checkBundleLoads();
  const bytes = metafile.outputs[path.relative(process.cwd(), ANALYZE_LOG_DATA_BUNDLE)]?.bytes;
  console.log(
    `bundled ${path.relative(packageDir, ANALYZE_LOG_DATA_BUNDLE)}${bytes ? ` (${(bytes / 1024).toFixed(0)} KiB)` : ''}`,
  );
}
