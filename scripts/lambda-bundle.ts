/**
 * esbuild settings shared by the Lambda bundles: one minified CommonJS file for the Node.js 22
 * runtime with the AWS SDK inside (a function does not depend on the runtime's SDK version),
 * and a source map. Each package's `scripts/bundle.ts` names its entry and output.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';

export interface LambdaBundle {
  outfile: string;
  bytes: number;
  warnings: string[];
  metafile: Metafile;
}

export async function bundleLambda(entry: string, outfile: string): Promise<LambdaBundle> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    // error classes keep their names: Step Functions matches Retry and Catch on them
    keepNames: true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'linked',
    metafile: true,
    logLevel: 'silent',
    // package.json "exports" of the workspace packages point at TypeScript source
    conditions: ['module'],
    mainFields: ['module', 'main'],
  });
  const key = Object.keys(result.metafile.outputs).find((k) => k.endsWith('.cjs'));
  return {
    outfile,
    bytes: key ? (result.metafile.outputs[key]?.bytes ?? 0) : 0,
    warnings: result.warnings.map((w) => w.text),
    metafile: result.metafile,
  };
}

/** Loads a bundle in a fresh `node` (no tsx, no workspace resolution) and checks its `handler`. */
export function checkBundleLoads(file: string): void {
  execFileSync(
    process.execPath,
    [
      '-e',
      `const m = require(${JSON.stringify(file)}); if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(1); }`,
    ],
    { stdio: ['ignore', 'inherit', 'pipe'], cwd: path.dirname(file) },
  );
}
