export { AwsClients, loadSdkModule, sdkPackageName } from './aws-clients.js';
export type { AwsClientConfig, AwsClientsOptions, SdkClient } from './aws-clients.js';
export { createAwsSdkInvoker, isAwsSdkResource } from './aws-sdk.js';
export { createDynamoDbInvoker, isDynamoDbResource, DYNAMODB_ACTIONS } from './dynamodb.js';
export { sdkErrorServiceName, toStatesError, withExceptionSuffix } from './errors.js';
export { CSV_DELIMITERS, readCsv, readJsonArray, readJsonLines } from './item-parsers.js';
export type { CsvReaderOptions } from './item-parsers.js';
export { createS3ItemReader } from './item-reader.js';
export type { S3ObjectItem } from './item-reader.js';
export {
  createLambdaInvoker,
  isLambdaResource,
  LAMBDA_PAYLOAD_LIMIT_BYTES,
  lambdaErrorPayload,
  LambdaInvocations,
  lambdaInvokeEnvelope,
  LambdaRegistry,
} from './lambda.js';
export type {
  LambdaAccount,
  LambdaCallback,
  LambdaContext,
  LambdaErrorPayload,
  LambdaFunctionOptions,
  LambdaHandler,
  LambdaInvokeEnvelope,
  LambdaInvokerOptions,
} from './lambda.js';
export { parseFunctionName, parseTaskResource } from './resource.js';
export type { FunctionNameParts, LambdaFunctionResource, StatesResource, TaskResource } from './resource.js';
export {
  buildManifest,
  createS3ResultWriter,
  createS3StreamingResultWriter,
  mapRunId,
  planResultFiles,
  RESULT_FILE_MAX_BYTES,
  resultKeyBase,
} from './result-writer.js';
export type {
  ResultFileRef,
  ResultManifest,
  S3ResultSink,
  S3ResultWriterOptions,
  S3StreamingResultWriter,
} from './result-writer.js';
export type { SdkHttpDetails } from './sdk-call.js';
export { composeTaskInvokers, createIntegrations, createTaskInvoker } from './task-invoker.js';
export type { Integrations, IntegrationsOptions, ResourceMatcher, TaskRoute } from './task-invoker.js';
