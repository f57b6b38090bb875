import { UNSCOPED_RESOURCE_ACTIONS } from './policies.js';
import type { PolicyDocument, PolicyStatement } from './policies.js';

/** Synthesized Terraform JSON, as far as the scan reads it. */
export interface TerraformResources {
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

type PolicyKind = 'identity' | 'trust' | 'resource' | 'key';

/** Where policy documents live in the AWS provider's resources. */
const POLICY_FIELDS: { type: string; field: string; kind: PolicyKind }[] = [
  { type: 'aws_iam_role_policy', field: 'policy', kind: 'identity' },
  { type: 'aws_iam_policy', field: 'policy', kind: 'identity' },
  { type: 'aws_iam_role', field: 'assume_role_policy', kind: 'trust' },
  { type: 'aws_s3_bucket_policy', field: 'policy', kind: 'resource' },
  { type: 'aws_sns_topic_policy', field: 'policy', kind: 'resource' },
  { type: 'aws_kms_key', field: 'policy', kind: 'key' },
];

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function statementProblems(where: string, kind: PolicyKind, s: PolicyStatement): string[] {
  const problems: string[] = [];
  const actions = list(s.Action);
  const resources = list(s.Resource);
  if (s.Effect === 'Allow') {
    for (const action of actions) {
      if (action.includes('*')) problems.push(`${where}: wildcard action "${action}"`);
    }
  }
  if (kind === 'identity') {
    if (resources.length === 0) problems.push(`${where}: no Resource`);
    if (resources.includes('*')) {
      for (const action of actions) {
        if (!(action in UNSCOPED_RESOURCE_ACTIONS))
          problems.push(`${where}: "${action}" on unscoped resource "*"`);
      }
    }
    if (
      actions.includes('cloudwatch:PutMetricData') &&
      !s.Condition?.StringEquals?.['cloudwatch:namespace']
    ) {
      problems.push(`${where}: cloudwatch:PutMetricData without a cloudwatch:namespace condition`);
    }
  }
  if ((kind === 'resource' || kind === 'trust') && s.Effect === 'Allow' && s.Principal === '*') {
    problems.push(`${where}: allows any principal`);
  }
  return problems;
}

/**
 * Checks every policy document of a synthesized stack: no Allow with a wildcard action, no
 * identity statement on `*` unless every action is in UNSCOPED_RESOURCE_ACTIONS, PutMetricData
 * only within a namespace, no Allow to any principal. In a key policy `*` is the key itself.
 */
export function scanPolicies(tf: TerraformResources): { checked: number; problems: string[] } {
  const problems: string[] = [];
  let checked = 0;
  for (const { type, field, kind } of POLICY_FIELDS) {
    for (const [id, resource] of Object.entries(tf.resource[type] ?? {})) {
      const text = resource[field];
      if (typeof text !== 'string') continue;
      let policy: PolicyDocument;
      try {
        policy = JSON.parse(text) as PolicyDocument;
      } catch {
        problems.push(`${type}.${id}.${field}: not JSON`);
        continue;
      }
      checked += 1;
      policy.Statement.forEach((s, i) =>
        problems.push(...statementProblems(`${type}.${id} statement ${s.Sid ?? i}`, kind, s)),
      );
    }
  }
  return { checked, problems };
}

/** Every bucket has a public access block, default encryption and a TLS-only policy attached. */
export function scanBuckets(tf: TerraformResources): string[] {
  const problems: string[] = [];
  const attached = (type: string, bucketRef: string) =>
    Object.values(tf.resource[type] ?? {}).filter((r) => r.bucket === bucketRef);
  for (const id of Object.keys(tf.resource.aws_s3_bucket ?? {})) {
    const ref = `\${aws_s3_bucket.${id}.id}`;
    const pab = attached('aws_s3_bucket_public_access_block', ref)[0];
    if (
      !pab ||
      !['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every(
        (f) => pab[f] === true,
      )
    ) {
      problems.push(`aws_s3_bucket.${id}: public access not fully blocked`);
    }
    if (attached('aws_s3_bucket_server_side_encryption_configuration', ref).length !== 1) {
      problems.push(`aws_s3_bucket.${id}: no default encryption`);
    }
    const tlsOnly = attached('aws_s3_bucket_policy', ref).some((p) =>
      (JSON.parse(p.policy as string) as PolicyDocument).Statement.some(
        (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      ),
    );
    if (!tlsOnly) problems.push(`aws_s3_bucket.${id}: no TLS-only bucket policy`);
  }
  return problems;
}

/** Every function logs to its own log group with a retention, and every role holds exactly one policy. */
export function scanFunctionsAndRoles(tf: TerraformResources): string[] {
  const problems: string[] = [];
  const logGroups = Object.entries(tf.resource.aws_cloudwatch_log_group ?? {});
  for (const [id, fn] of Object.entries(tf.resource.aws_lambda_function ?? {})) {
    const logGroupRef = (fn.logging_config as { log_group?: string } | undefined)?.log_group;
    const group = logGroups.find(
      ([groupId]) => logGroupRef === `\${aws_cloudwatch_log_group.${groupId}.name}`,
    )?.[1];
    if (!group) problems.push(`aws_lambda_function.${id}: does not log to a log group of the stack`);
    else if (group.name !== `/aws/lambda/${String(fn.function_name)}`)
      problems.push(`aws_lambda_function.${id}: log group is not its own`);
    else if (typeof group.retention_in_days !== 'number')
      problems.push(`aws_lambda_function.${id}: log group without retention`);
  }
  for (const id of Object.keys(tf.resource.aws_iam_role ?? {})) {
    const ref = `\${aws_iam_role.${id}.name}`;
    const count = Object.values(tf.resource.aws_iam_role_policy ?? {}).filter((p) => p.role === ref).length;
    if (count !== 1) problems.push(`aws_iam_role.${id}: ${count} policies, expected exactly one`);
  }
  for (const type of ['aws_iam_role_policy_attachment', 'aws_iam_policy_attachment']) {
    if (Object.keys(tf.resource[type] ?? {}).length > 0)
      problems.push(`${type}: managed policy attachments are not allowed`);
  }
  return problems;
}
