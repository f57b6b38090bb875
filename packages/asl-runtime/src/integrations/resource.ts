/**
 * Parsing of Task `Resource` ARNs. Step Functions accepts three families:
 * service integrations (`arn:aws:states:::<service>:<action>[.<pattern>]`), AWS SDK integrations
 * (`arn:aws:states:::aws-sdk:<service>:<action>[.<pattern>]`) and plain Lambda function ARNs.
 */

/** An optimized or AWS SDK service integration resource. */
export interface StatesResource {
  kind: 'states';
  partition: string;
  /** Region of the resource, when the ARN names one (`arn:aws:states:eu-west-1::...`). */
  region?: string;
  /** `lambda`, `dynamodb`, `s3`, or `aws-sdk` for SDK integrations. */
  integration: string;
  /** For `aws-sdk`: the lowercase service name, e.g. `cloudwatch`. */
  service?: string;
  /** API action as written, e.g. `invoke`, `putItem`, `putMetricData`. */
  action: string;
  /** Integration pattern suffix: `sync`, `sync:2`, `waitForTaskToken`; absent for request-response. */
  pattern?: string;
}

/** A Lambda function ARN used directly as a Task resource. */
export interface LambdaFunctionResource {
  kind: 'lambda-function';
  arn: string;
  region: string;
  accountId: string;
  functionName: string;
  qualifier?: string;
}

export type TaskResource = StatesResource | LambdaFunctionResource;

const STATES_ARN = /^arn:([a-z-]+):states:([a-z0-9-]*):(\d*):(.+)$/;
const LAMBDA_ARN =
  /^arn:([a-z-]+):lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_-]+))?$/;

/** Parses a Task resource; returns `undefined` for anything Step Functions would not accept. */
export function parseTaskResource(resource: string): TaskResource | undefined {
  const lambda = LAMBDA_ARN.exec(resource);
  if (lambda) {
    const [, , region, accountId, functionName, qualifier] = lambda;
    return {
      kind: 'lambda-function',
      arn: resource,
      region: region!,
      accountId: accountId!,
      functionName: functionName!,
      ...(qualifier ? { qualifier } : {}),
    };
  }
  const states = STATES_ARN.exec(resource);
  if (!states) return undefined;
  const [, partition, region, , rest] = states;
  const parts = rest!.split(':');
  if (parts[0] === 'aws-sdk') {
    // aws-sdk:<service>:<action>[.<pattern>]; `.sync:2` puts one more colon in the pattern.
    if (parts.length < 3 || !parts[1]) return undefined;
    const [action, pattern] = splitPattern(parts.slice(2).join(':'));
    if (!action) return undefined;
    return withRegion(
      {
        kind: 'states',
        partition: partition!,
        integration: 'aws-sdk',
        service: parts[1],
        action,
        ...pattern,
      },
      region,
    );
  }
  if (parts.length < 2 || !parts[0]) return undefined;
  const [action, pattern] = splitPattern(parts.slice(1).join(':'));
  if (!action) return undefined;
  return withRegion(
    { kind: 'states', partition: partition!, integration: parts[0], action, ...pattern },
    region,
  );
}

function splitPattern(actionWithPattern: string): [string, { pattern?: string }] {
  const dot = actionWithPattern.indexOf('.');
  if (dot < 0) return [actionWithPattern, {}];
  return [actionWithPattern.slice(0, dot), { pattern: actionWithPattern.slice(dot + 1) }];
}

function withRegion(resource: StatesResource, region: string | undefined): StatesResource {
  return region ? { ...resource, region } : resource;
}

/** A Lambda `FunctionName` as the Invoke API accepts it: name, partial ARN or full ARN. */
export interface FunctionNameParts {
  functionName: string;
  qualifier?: string;
  region?: string;
  accountId?: string;
}

const FULL_FUNCTION_ARN =
  /^arn:[a-z-]+:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]{1,140})(?::([A-Za-z0-9$_-]{1,128}))?$/;
const PARTIAL_FUNCTION_ARN = /^(\d{12}):function:([A-Za-z0-9_-]{1,140})(?::([A-Za-z0-9$_-]{1,128}))?$/;
const PLAIN_FUNCTION_NAME = /^([A-Za-z0-9_-]{1,140})(?::([A-Za-z0-9$_-]{1,128}))?$/;

/**
 * Splits a Lambda function name in any of the forms `Invoke` accepts (`my-fn`, `my-fn:prod`,
 * `123456789012:function:my-fn`, `arn:aws:lambda:us-east-1:123456789012:function:my-fn:1`).
 * Returns `undefined` when the value is none of them.
 */
export function parseFunctionName(value: string): FunctionNameParts | undefined {
  let m = FULL_FUNCTION_ARN.exec(value);
  if (m) {
    return {
      functionName: m[3]!,
      region: m[1]!,
      accountId: m[2]!,
      ...(m[4] ? { qualifier: m[4] } : {}),
    };
  }
  m = PARTIAL_FUNCTION_ARN.exec(value);
  if (m) return { functionName: m[2]!, accountId: m[1]!, ...(m[3] ? { qualifier: m[3] } : {}) };
  m = PLAIN_FUNCTION_NAME.exec(value);
  if (m) return { functionName: m[1]!, ...(m[2] ? { qualifier: m[2] } : {}) };
  return undefined;
}

/** `putMetricData` → `PutMetricData`. */
export function pascalCase(action: string): string {
  return action.charAt(0).toUpperCase() + action.slice(1);
}
