/**
 * Bundles the AnalyzeLogData Lambda (settings in the repository's scripts/lambda-bundle.ts).
 * Run after `tsc` by the package's `build` script; checks that the bundle loads with plain
 * `node` and exports `handler`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metafile } from 'esbuild';
import { bundleLambda, checkBundleLoads } from '../../../scripts/lambda-bundle.js';

export { checkBundleLoads };

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const ANALYZE_LOG_DATA_ENTRY = path.join(packageDir, 'src/lambda/analyze-log-data.ts');
export const ANALYZE_LOG_DATA_BUNDLE = path.join(packageDir, 'dist/lambda/analyze-log-data/index.cjs');

export async function bundleAnalyzeLogData(outfile = ANALYZE_LOG_DATA_BUNDLE): Promise<Metafile> {
  return (await bundleLambda(ANALYZE_LOG_DATA_ENTRY, outfile)).metafile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { bytes, warnings } = await bundleLambda(ANALYZE_LOG_DATA_ENTRY, ANALYZE_LOG_DATA_BUNDLE);
  for (const warning of warnings) console.warn(`warning: ${warning}`);
  checkBundleLoads(ANALYZE_LOG_DATA_BUNDLE);
  console.log(
    `bundled ${path.relative(packageDir, ANALYZE_LOG_DATA_BUNDLE)} (${(bytes / 1024).toFixed(0)} KiB)`,
  );
}
