/**
 * One AWS SDK v3 client per service and region, loaded on first use from
 * `@aws-sdk/client-<service>`. Clients take the default SDK configuration (so
 * `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_REGION` and the credential chain
 * apply) merged with an optional programmatic configuration.
 */
import { StatesError } from '../integrations.js';

/** Client configuration applied on top of the SDK defaults. */
export interface AwsClientConfig {
  region?: string;
  endpoint?: string;
  credentials?:
    { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | (() => Promise<unknown>);
  /** S3 only: path-style addressing, needed by most local S3 endpoints. */
  forcePathStyle?: boolean;
  [option: string]: unknown;
}

export interface AwsClientsOptions {
  /** Applied to every client. */
  clientConfig?: AwsClientConfig;
  /** Per-service overrides, keyed by the Step Functions service name (`s3`, `dynamodb`, ...). */
  serviceConfig?: Record<string, AwsClientConfig>;
}

/** The part of an SDK v3 client this runtime uses. */
export interface SdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
}

export type SdkModule = Record<string, unknown>;

/** Step Functions service names whose npm package is not `@aws-sdk/client-<service>`. */
const PACKAGE_ALIASES: Record<string, string> = {
  acmpca: 'acm-pca',
  apigateway: 'api-gateway',
  apigatewayv2: 'apigatewayv2',
  applicationautoscaling: 'application-auto-scaling',
  bedrockagent: 'bedrock-agent',
  bedrockagentruntime: 'bedrock-agent-runtime',
  bedrockruntime: 'bedrock-runtime',
  cloudwatchlogs: 'cloudwatch-logs',
  cognitoidentityprovider: 'cognito-identity-provider',
  costexplorer: 'cost-explorer',
  databasemigration: 'database-migration-service',
  elasticloadbalancingv2: 'elastic-load-balancing-v2',
  secretsmanager: 'secrets-manager',
};

/** The npm package holding the SDK v3 client of a Step Functions service name. */
export function sdkPackageName(service: string): string {
  return `@aws-sdk/client-${PACKAGE_ALIASES[service] ?? service}`;
}

const modules = new Map<string, Promise<SdkModule>>();

/** Imports the SDK module of `service`, or fails with a `States.Runtime` error naming the package. */
export function loadSdkModule(service: string): Promise<SdkModule> {
  const name = sdkPackageName(service);
  let loading = modules.get(name);
  if (!loading) {
    loading = (import(name) as Promise<SdkModule>).catch((error: unknown) => {
      modules.delete(name);
      const code = (error as { code?: string }).code;
      const why =
        code === 'ERR_MODULE_NOT_FOUND'
          ? `package ${name} is not installed; add it to @logflow/asl-runtime to call this service`
          : `loading ${name} failed: ${(error as Error).message}`;
      throw new StatesError('States.Runtime', `AWS SDK service "${service}" is not available: ${why}`);
    });
    modules.set(name, loading);
  }
  return loading;
}

/**
 * The logger clients get unless one is configured: like the SDK's default (which discards
 * everything) but without `info`. The SDK's logger middleware calls `logger?.info?.(...)` after
 * every request with a copy of the input and output redacted along the operation schema; with no
 * `info` that copy is never built, which matters for large DynamoDB items and metric batches.
 */
export const QUIET_SDK_LOGGER = Object.freeze({
  trace: (): void => {},
  debug: (): void => {},
  warn: (): void => {},
  error: (): void => {},
});

type ClientConstructor = new (config: AwsClientConfig) => SdkClient;

function clientConstructor(module: SdkModule, service: string): ClientConstructor {
  const entry = Object.entries(module).find(
    ([key, value]) => key.endsWith('Client') && key !== '__Client' && typeof value === 'function',
  );
  if (!entry) throw new StatesError('States.Runtime', `${sdkPackageName(service)} exports no client class`);
  return entry[1] as ClientConstructor;
}

export class AwsClients {
  readonly #clients = new Map<string, Promise<SdkClient>>();
  readonly #options: AwsClientsOptions;

  constructor(options: AwsClientsOptions = {}) {
    this.#options = options;
  }

  /** The configuration a client of `service` is created with (before SDK defaults). */
  configFor(service: string, region?: string): AwsClientConfig {
    const config = { ...this.#options.clientConfig, ...this.#options.serviceConfig?.[service] };
    return region ? { ...config, region } : config;
  }

  /** The shared client of `service` in `region` (default: configured or SDK default region). */
  client(service: string, region?: string): Promise<SdkClient> {
    const key = `${service}|${region ?? ''}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = loadSdkModule(service).then((module) => {
        const Client = clientConstructor(module, service);
        return new Client({ logger: QUIET_SDK_LOGGER, ...this.configFor(service, region) });
      });
      client.catch(() => this.#clients.delete(key));
      this.#clients.set(key, client);
    }
    return client;
  }

  /** Closes every client's connections. */
  async destroy(): Promise<void> {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    for (const client of await Promise.allSettled(clients)) {
      if (client.status === 'fulfilled') client.value.destroy();
    }
  }
}
