/**
 * How service failures are named in Step Functions: `<Service>.<ErrorName>` with the error name
 * always ending in `Exception` (S3's `NoSuchKey` becomes `S3.NoSuchKeyException`), and the
 * service's message as the cause.
 */
import { StatesError } from '../integrations.js';

/** An error thrown by an AWS SDK v3 client for a response the service sent. */
interface SdkServiceError {
  name: string;
  message: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
  Code?: string;
}

export function isSdkServiceError(error: unknown): error is SdkServiceError {
  return (
    error instanceof Error &&
    (('$fault' in error && typeof error.$fault === 'string') ||
      ('$metadata' in error &&
        typeof (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode ===
          'number'))
  );
}

/** `NoSuchKey` → `NoSuchKeyException`; names already ending in `Exception` stay as they are. */
export function withExceptionSuffix(name: string): string {
  return name.endsWith('Exception') ? name : `${name}Exception`;
}

/**
 * The PascalCase service names Step Functions uses in AWS SDK integration error names, where
 * they differ from upper-casing the first letter of the resource's service name.
 */
const SDK_ERROR_SERVICE_NAMES: Record<string, string> = {
  acmpca: 'AcmPca',
  apigateway: 'ApiGateway',
  apigatewayv2: 'ApiGatewayV2',
  bedrockruntime: 'BedrockRuntime',
  cloudformation: 'CloudFormation',
  cloudfront: 'CloudFront',
  cloudtrail: 'CloudTrail',
  cloudwatch: 'CloudWatch',
  cloudwatchlogs: 'CloudWatchLogs',
  codebuild: 'CodeBuild',
  dynamodb: 'DynamoDb',
  ec2: 'Ec2',
  ecr: 'Ecr',
  ecs: 'Ecs',
  eks: 'Eks',
  eventbridge: 'EventBridge',
  iam: 'Iam',
  kms: 'Kms',
  rds: 'Rds',
  s3: 'S3',
  secretsmanager: 'SecretsManager',
  sesv2: 'SesV2',
  sfn: 'Sfn',
  sns: 'Sns',
  sqs: 'Sqs',
  ssm: 'Ssm',
  sts: 'Sts',
};

/** The service part of an AWS SDK integration error name, e.g. `dynamodb` → `DynamoDb`. */
export function sdkErrorServiceName(service: string): string {
  return SDK_ERROR_SERVICE_NAMES[service] ?? service.charAt(0).toUpperCase() + service.slice(1);
}

/**
 * How the cause names the service call, after the message. AWS SDK integrations report
 * `(Service: DynamoDb, Status Code: 400, Request ID: ...)`; the optimized integrations
 * `(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ...; Request ID: ...; Proxy: null)`.
 */
export interface CauseStyle {
  /** Service label in the cause; default: the error name prefix. */
  service?: string;
  /** `sdk` (default) for AWS SDK integrations, `optimized` for the optimized integrations. */
  format?: 'sdk' | 'optimized';
}

/**
 * Maps whatever an SDK call threw to the `StatesError` Step Functions would report.
 * `servicePrefix` is the part before the dot (`DynamoDb` for AWS SDK integrations,
 * `DynamoDB` for the optimized DynamoDB integration). Errors that never reached the service
 * (DNS, connection refused, timeouts) become `<Service>.SdkClientException`.
 */
export function toStatesError(servicePrefix: string, error: unknown, style: CauseStyle = {}): StatesError {
  if (error instanceof StatesError) return error;
  if (isSdkServiceError(error)) {
    const code = error.name && error.name !== 'Error' ? error.name : (error.Code ?? 'Unknown');
    const status = error.$metadata?.httpStatusCode;
    const requestId = error.$metadata?.requestId ?? '';
    const service = style.service ?? servicePrefix;
    const details =
      style.format === 'optimized'
        ? `Service: ${service}; Status Code: ${status ?? 0}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null`
        : `Service: ${service}, Status Code: ${status ?? 0}, Request ID: ${requestId}`;
    const message = error.message && error.message !== 'UnknownError' ? error.message : code;
    return new StatesError(`${servicePrefix}.${withExceptionSuffix(code)}`, `${message} (${details})`);
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StatesError(`${servicePrefix}.SdkClientException`, message);
}

/** `States.Runtime`-style failure for a resource this runtime cannot run. */
export function unsupportedResource(resource: string, why: string): StatesError {
  return new StatesError('States.Runtime', `Unsupported Task resource "${resource}": ${why}`);
}
