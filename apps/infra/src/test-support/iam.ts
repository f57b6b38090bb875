import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../policies.js';
import type { TerraformJson } from './synth.js';

/** The account and region the synthesized references are resolved in. */
export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
/** The id the alarm topic's key gets in place of the one AWS would assign. */
export const ALARM_KEY_ID = '0a1b2c3d-0000-4000-8000-000000000001';

type Resource = Record<string, unknown>;

/** What AWS makes of each attribute the stacks reference, given the resource's resolved arguments. */
const ATTRIBUTES: Record<string, (r: Resource, attribute: string) => string> = {
  aws_s3_bucket: (r, a) => (a === 'arn' ? `arn:aws:s3:::${String(r.bucket)}` : String(r.bucket)),
  aws_lambda_function: (r, a) =>
    a === 'arn'
      ? `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${String(r.function_name)}`
      : String(r.function_name),
  aws_dynamodb_table: (r, a) =>
    a === 'arn' ? `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${String(r.name)}` : String(r.name),
  aws_cloudwatch_log_group: (r, a) =>
    a === 'arn' ? `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${String(r.name)}` : String(r.name),
  aws_sfn_state_machine: (r, a) =>
    a === 'arn' ? `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${String(r.name)}` : String(r.name),
  aws_iam_role: (r, a) => (a === 'arn' ? `arn:aws:iam::${ACCOUNT}:role/${String(r.name)}` : String(r.name)),
  aws_sns_topic: (r) => `arn:aws:sns:${REGION}:${ACCOUNT}:${String(r.name)}`,
  aws_kms_key: () => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${ALARM_KEY_ID}`,
  aws_iam_openid_connect_provider: () =>
    `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
};
const DATA: Record<string, string> = {
  'data.aws_caller_identity.account.account_id': ACCOUNT,
  'data.aws_partition.partition.partition': 'aws',
  'data.aws_iam_openid_connect_provider.github-oidc.arn': `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
};

/**
 * Replaces every `${type.id.attribute}` reference in `text` with the value AWS would give it in
 * ACCOUNT/REGION, so that synthesized policies can be evaluated; an unknown reference throws.
 */
export function resolveReferences(tf: TerraformJson, text: string, depth = 0): string {
  if (depth > 5) throw new Error(`references nest too deep in ${text}`);
  const resolved = text.replace(/\$\{([a-z0-9_]+(?:\.[A-Za-z0-9_-]+){2,3})\}/g, (whole, ref: string) => {
    if (ref in DATA) return DATA[ref]!;
    const [type, id, attribute] = ref.split('.') as [string, string, string];
    const resource = tf.resource[type]?.[id];
    const attr = ATTRIBUTES[type];
    if (!resource || !attr) throw new Error(`cannot resolve ${whole}`);
    const args = Object.fromEntries(
      Object.entries(resource).map(([k, v]) => [
        k,
        typeof v === 'string' ? resolveReferences(tf, v, depth + 1) : v,
      ]),
    );
    return attr(args, attribute);
  });
  if (resolved.includes('${')) throw new Error(`unresolved reference left in ${resolved}`);
  return resolved;
}

/** A role of the synthesized stack with its one inline policy, references resolved. */
export interface ResolvedRole {
  arn: string;
  policy: PolicyDocument;
}

export function roleNamed(tf: TerraformJson, name: string): ResolvedRole {
  const entry = Object.entries(tf.resource.aws_iam_role ?? {}).find(([, r]) => r.name === name);
  if (!entry) throw new Error(`no role ${name}`);
  const policy = Object.values(tf.resource.aws_iam_role_policy ?? {}).find(
    (p) => p.role === `\${aws_iam_role.${entry[0]}.name}`,
  );
  if (!policy) throw new Error(`role ${name} has no policy`);
  return {
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    policy: JSON.parse(resolveReferences(tf, policy.policy as string)) as PolicyDocument,
  };
}

/** The resolved bucket policy attached to the bucket named `bucketName`, if any. */
export function bucketPolicy(tf: TerraformJson, bucketName: string): PolicyDocument | undefined {
  const entry = Object.entries(tf.resource.aws_s3_bucket ?? {}).find(
    ([, b]) => resolveReferences(tf, String(b.bucket)) === bucketName,
  );
  if (!entry) return undefined;
  const policy = Object.values(tf.resource.aws_s3_bucket_policy ?? {}).find(
    (p) => p.bucket === `\${aws_s3_bucket.${entry[0]}.id}`,
  );
  return policy ? (JSON.parse(resolveReferences(tf, policy.policy as string)) as PolicyDocument) : undefined;
}

/**
 * The default key policy AWS gives a key created without one: it lets IAM policies of the
 * account grant use of the key. A customer key must allow at least this (see the README).
 */
export const DEFAULT_KEY_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'EnableIamPolicies',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: ['kms:*'],
      Resource: ['*'],
    },
  ],
};

export interface Call {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/**
 * Evaluates one call of `role` with AWS's logic (identity policy, plus the bucket's policy for an
 * S3 resource of this stack, or the default key policy for a KMS key). Requests go over TLS unless the context says otherwise. A request
 * the simulator cannot evaluate (unknown action, resource type or context key) throws.
 */
export async function decide(
  tf: TerraformJson | undefined,
  role: ResolvedRole,
  call: Call,
): Promise<Decision> {
  const bucket = /^arn:aws:s3:::([^/]+)/.exec(call.resource)?.[1];
  const resourcePolicy = call.resource.startsWith('arn:aws:kms:')
    ? DEFAULT_KEY_POLICY
    : tf && bucket
      ? bucketPolicy(tf, bucket)
      : undefined;
  const result = await runSimulation(
    {
      request: {
        principal: role.arn,
        action: call.action,
        resource: { resource: call.resource, accountId: ACCOUNT },
        contextVariables: { 'aws:SecureTransport': 'true', ...call.context },
      },
      identityPolicies: [{ name: 'inline', policy: role.policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new Error(`${call.action} on ${call.resource}: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult as Decision;
}
