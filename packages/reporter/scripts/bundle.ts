/**
 * Bundles the GenerateDailySummary Lambda (settings in the repository's scripts/lambda-bundle.ts).
 * Run by `pnpm --filter @logflow/reporter build`; checks that the bundle loads with plain `node`.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleLambda, checkBundleLoads } from '../../../scripts/lambda-bundle.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

export const HANDLER_ENTRY = path.join(PACKAGE_DIR, 'src/lambda/generate-daily-summary.ts');
export const DEFAULT_OUTFILE = path.join(PACKAGE_DIR, 'dist/lambda/generate-daily-summary/index.cjs');

export interface BundleResult {
  outfile: string;
  bytes: number;
  warnings: string[];
}

export async function bundleHandler(outfile = DEFAULT_OUTFILE): Promise<BundleResult> {
  const { bytes, warnings } = await bundleLambda(HANDLER_ENTRY, outfile);
  return { outfile, bytes, warnings };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { outfile, bytes, warnings } = await bundleHandler();
  for (const warning of warnings) console.warn(`warning: ${warning}`);
  checkBundleLoads(outfile);
  console.log(`${path.relative(process.cwd(), outfile)} ${(bytes / 1024).toFixed(0)} KiB`);
}
