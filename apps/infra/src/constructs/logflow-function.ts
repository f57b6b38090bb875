import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { AssetType, TerraformAsset } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { assumeRolePolicy } from '../policies.js';
import type { PolicyDocument } from '../policies.js';

export interface LogflowFunctionProps {
  functionName: string;
  description: string;
  /** Directory with the esbuild bundle; its `index.cjs` exports `handler`. */
  bundleDir: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Concurrent executions reserved for (and capping) the function. */
  reservedConcurrency: number;
  environment: Record<string, string>;
  logRetentionDays: number;
  kmsKeyArn?: string;
  /** The role's one policy, given the function's log group ARN. */
  policy: (logGroupArn: string) => PolicyDocument;
}

/** A Node.js 22 arm64 Lambda function with its own log group and a role holding exactly one policy. */
export class LogflowFunction extends Construct {
  readonly function: LambdaFunction;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: LogflowFunctionProps) {
    super(scope, id);
    const entry = join(props.bundleDir, 'index.cjs');
    if (!existsSync(entry)) {
      throw new Error(`${props.functionName}: bundle not found at ${entry}; build it first (pnpm build)`);
    }
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
    });
    this.role = new IamRole(this, 'role', {
      name: `${props.functionName}-role`,
      assumeRolePolicy: JSON.stringify(assumeRolePolicy('lambda.amazonaws.com')),
    });
    const policy = new IamRolePolicy(this, 'policy', {
      name: `${props.functionName}-policy`,
      role: this.role.name,
      policy: JSON.stringify(props.policy(this.logGroup.arn)),
    });
    const asset = new TerraformAsset(this, 'bundle', { path: props.bundleDir, type: AssetType.ARCHIVE });
    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: props.description,
      filename: asset.path,
      sourceCodeHash: asset.assetHash,
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      memorySize: props.memoryMb,
      timeout: props.timeoutSeconds,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: this.role.arn,
      environment: { variables: props.environment },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      tracingConfig: { mode: 'Active' },
      ...(props.kmsKeyArn ? { kmsKeyArn: props.kmsKeyArn } : {}),
      // The log group and permissions exist before the first invocation can log.
      dependsOn: [this.logGroup, policy],
    });
  }
}
