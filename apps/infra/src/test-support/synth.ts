import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Testing } from 'cdktf';
import { BootstrapStack, loadBootstrapConfig } from '../bootstrap.js';
import type { BootstrapConfig } from '../bootstrap.js';
import { resolveInfraConfig } from '../config.js';
import type { InfraConfig, InfraConfigInput } from '../config.js';
import { LogflowStack, stackName } from '../stack.js';

/** A customer managed key ARN for the SSE-KMS variants of the stack. */
export const TEST_KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** What the committed environments.json reads as `${env:}` values, as CI's variables would set them. */
export const CI_VARIABLES = {
  LOGFLOW_STATE_BUCKET: 'acme-terraform-state',
  LOGFLOW_ALARM_EMAIL: 'ops@example.com',
};

/** The state bucket the test stacks' S3 backend names. */
export const TEST_STATE_BUCKET = 'logflow-test-terraform-state';

/** The synthesized Terraform JSON, loosely typed for assertions. */
export interface TerraformJson {
  terraform: {
    backend?: Record<string, Record<string, unknown>>;
    required_providers: Record<string, unknown>;
  };
  provider: Record<string, Record<string, unknown>[]>;
  data: Record<string, Record<string, Record<string, unknown>>>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: string; description?: string }>;
}

let bundles: { analyzer: string; reporter: string } | undefined;

/** Stand-in bundles: the real ones come from the analyzer and reporter builds. */
export function placeholderBundles(): { analyzer: string; reporter: string } {
  if (bundles) return bundles;
  const root = mkdtempSync(join(tmpdir(), 'logflow-infra-'));
  const make = (name: string): string => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.cjs'), `exports.handler = async () => ${JSON.stringify(name)};\n`);
    return dir;
  };
  bundles = { analyzer: make('analyze-log-data'), reporter: make('generate-daily-summary') };
  return bundles;
}

/**
 * Synthesizes one stack for `input` (environment `test` unless given) with placeholder bundles,
 * the test state bucket unless `sandbox` or `stateBackend` is given, and alarms opted out unless
 * `alarms` is given.
 */
export function synthStack(input: Partial<InfraConfigInput> = {}): {
  config: InfraConfig;
  tf: TerraformJson;
} {
  const dirs = placeholderBundles();
  const config = resolveInfraConfig({
    environment: 'test',
    ...(input.sandbox ? {} : { stateBackend: { bucket: TEST_STATE_BUCKET } }),
    alarms: { optOut: true },
    ...input,
    functions: {
      analyzer: { ...input.functions?.analyzer, bundleDir: dirs.analyzer },
      reporter: { ...input.functions?.reporter, bundleDir: dirs.reporter },
    },
  });
  const stack = new LogflowStack(Testing.app(), stackName(config), config);
  return { config, tf: JSON.parse(Testing.synth(stack)) as TerraformJson };
}

/** The committed bootstrap.json and the values its `${env:}` strings read in the tests. */
export const BOOTSTRAP_FILE = fileURLToPath(new URL('../../bootstrap.json', import.meta.url));
export const BOOTSTRAP_VARIABLES = {
  LOGFLOW_STATE_BUCKET: 'acme-terraform-state',
  GITHUB_REPOSITORY: 'acme/logflow',
};

/** Synthesizes the bootstrap stack of the committed bootstrap.json, with `overrides`. */
export function synthBootstrap(overrides: Partial<BootstrapConfig> = {}): TerraformJson {
  const config = { ...loadBootstrapConfig(BOOTSTRAP_FILE, BOOTSTRAP_VARIABLES), ...overrides };
  return JSON.parse(
    Testing.synth(new BootstrapStack(Testing.app(), 'logflow-bootstrap', config)),
  ) as TerraformJson;
}

/** Resources of one type, by logical id. */
export function resources(tf: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return tf.resource[type] ?? {};
}

/** The single resource of a type whose attribute matches; fails loudly otherwise. */
export function only(
  tf: TerraformJson,
  type: string,
  match: (r: Record<string, unknown>) => boolean = () => true,
) {
  const found = Object.entries(resources(tf, type)).filter(([, r]) => match(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [id, resource] = found[0]!;
  return { id, resource, ref: (attribute: string) => `\${${type}.${id}.${attribute}}` };
}
