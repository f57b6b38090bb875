/**
 * Bundles the GenerateDailySummary Lambda into one CommonJS file with the AWS SDK inside, so the
 * deployment does not depend on the SDK version of the Lambda runtime.
 * Run by `pnpm --filter @logflow/reporter build`.
 */
import { build, type Metafile } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

export const HANDLER_ENTRY = path.join(PACKAGE_DIR, 'src/lambda/generate-daily-summary.ts');
export const DEFAULT_OUTFILE = path.join(PACKAGE_DIR, 'dist/lambda/generate-daily-summary/index.cjs');

export interface BundleResult {
  outfile: string;
  bytes: number;
  warnings: string[];
}

export async function bundleHandler(outfile = DEFAULT_OUTFILE): Promise<BundleResult> {
  const result = await build({
    entryPoints: [HANDLER_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'linked',
    metafile: true,
    logLevel: 'silent',
    // package.json "exports" of the workspace packages point at TypeScript source
    conditions: ['module'],
    mainFields: ['module', 'main'],
  });
  const output = (result.metafile as Metafile).outputs;
  const key = Object.keys(output).find((k) => k.endsWith('.cjs'));
  return {
    outfile,
    bytes: key ? (output[key]?.bytes ?? 0) : 0,
    warnings: result.warnings.map((w) => w.text),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { outfile, bytes, warnings } = await bundleHandler();
  for (const warning of warnings) console.warn(`warning: ${warning}`);
  console.log(`${path.relative(process.cwd(), outfile)} ${(bytes / 1024).toFixed(0)} KiB`);
}
