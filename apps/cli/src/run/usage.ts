/**
 * The usage meter of a local run: what the day's execution used, in the terms AWS bills
 * (`Usage` of `@logflow/cost`). Cheap by design: the parent execution's history and its Map
 * Runs' counts read through the Step Functions API once it ends, each function's own duration,
 * and local AWS's request counter read before and after the execution (so setup, upload and
 * the report download, which a deployed day does not do, are left out).
 */
import type { LambdaHandler, TaskInvoker } from '@logflow/asl-runtime';
import type { Usage } from '@logflow/cost';
import type { RequestCounts } from '@logflow/local-aws';
import type { SfnApi } from './run-through-api.js';

/** The deployed functions' memory (apps/infra `DEFAULT_INFRA_CONFIG.functions`). */
export const DEPLOYED_MEMORY_MB = { analyzer: 1024, reporter: 1024 } as const;
/** Lambda gives a function one full vCPU at 1,769 MB and a proportional share below. */
const FULL_VCPU_MB = 1769;
/** Express executions are billed in 64 MB steps; the children's payloads stay far below it. */
const EXPRESS_MEMORY_MB = 64;

/** A run's usage: what a deployed day would be billed for, and the counts it comes from. */
export interface RunUsage extends Usage {
  measured: {
    /** Requests local AWS served during the execution, by service and operation. */
    requests: RequestCounts['requests'] | null;
    /** Sum of each function's local durations (one core each), before scaling to its memory. */
    localDurationMs: Record<string, number>;
    /** Wall time of the service tasks (DynamoDB, CloudWatch) the children ran. */
    serviceTaskMs: number;
    /** Task invocations the state machine made, by resource. */
    tasks: Record<string, number>;
  };
}

export interface UsageMeterOptions {
  /** Local AWS's request counts; without it the request-based parts are zero and `measured.requests` null. */
  requestCounts?: () => Promise<RequestCounts>;
  memoryMb?: { analyzer: number; reporter: number };
}

interface FunctionMeter {
  invocations: number;
  localMs: number;
  /** Per invocation, rounded up to 1 ms after scaling to the deployed memory's CPU share. */
  billedMs: number;
  /** Per invocation, scaled but not rounded: the express child waits this long for it. */
  scaledMs: number[];
}

function diffCounts(after: RequestCounts, before: RequestCounts): RequestCounts {
  const requests: RequestCounts['requests'] = {};
  for (const [service, ops] of Object.entries(after.requests)) {
    for (const [op, n] of Object.entries(ops)) {
      const d = n - (before.requests[service]?.[op] ?? 0);
      if (d > 0) (requests[service] ??= {})[op] = d;
    }
  }
  return {
    requests,
    s3PutBytes: after.s3PutBytes - before.s3PutBytes,
    dynamodbWru: after.dynamodbWru - before.dynamodbWru,
    dynamodbRru: after.dynamodbRru - before.dynamodbRru,
    // metrics and hours are sets: those of a fresh counter are the run's own
    metrics: after.metrics - before.metrics,
    metricHours: after.metricHours - before.metricHours,
  };
}

export function createUsageMeter(options: UsageMeterOptions = {}) {
  const memory = options.memoryMb ?? DEPLOYED_MEMORY_MB;
  const functions = new Map<string, { role: keyof typeof memory; meter: FunctionMeter }>();
  const transitions = { entered: 0, taskScheduled: 0, taskEntered: 0 };
  let children = 0;
  let serviceTaskMs = 0;
  const tasks: Record<string, number> = {};
  let before: RequestCounts | undefined;

  const meterOf = (name: string, role: keyof typeof memory): FunctionMeter => {
    let entry = functions.get(name);
    if (!entry)
      functions.set(
        name,
        (entry = { role, meter: { invocations: 0, localMs: 0, billedMs: 0, scaledMs: [] } }),
      );
    return entry.meter;
  };

  return {
    /** Reads local AWS's counts before the execution starts. */
    async start(): Promise<void> {
      before = await options.requestCounts?.();
    },

    /**
     * Reads the finished execution: its state transitions (retries included) from the history,
     * and the children its Map Runs started.
     */
    async readExecution(api: SfnApi, executionArn: string): Promise<void> {
      let nextToken: unknown;
      do {
        const page = await api('GetExecutionHistory', {
          executionArn,
          maxResults: 1000,
          includeExecutionData: false,
          ...(nextToken ? { nextToken } : {}),
        });
        for (const event of (page.events ?? []) as { type: string }[]) {
          if (event.type.endsWith('StateEntered')) transitions.entered++;
          if (event.type === 'TaskStateEntered') transitions.taskEntered++;
          if (event.type === 'TaskScheduled') transitions.taskScheduled++;
        }
        nextToken = page.nextToken;
      } while (nextToken);
      do {
        const page = await api('ListMapRuns', { executionArn, ...(nextToken ? { nextToken } : {}) });
        for (const run of (page.mapRuns ?? []) as { mapRunArn: string }[]) {
          const described = await api('DescribeMapRun', { mapRunArn: run.mapRunArn });
          children += (described.executionCounts as { total?: number } | undefined)?.total ?? 0;
        }
        nextToken = page.nextToken;
      } while (nextToken);
    },

    /** Times the service tasks (not Lambda invocations, which `invoked` times inside the function). */
    taskInvoker(inner: TaskInvoker): TaskInvoker {
      return {
        async invoke(resource, args, context) {
          tasks[resource] = (tasks[resource] ?? 0) + 1;
          if (resource.includes(':lambda:')) return inner.invoke(resource, args, context);
          const t0 = performance.now();
          try {
            return await inner.invoke(resource, args, context);
          } finally {
            serviceTaskMs += performance.now() - t0;
          }
        },
      };
    },

    /** Records one invocation of a function that took `localMs` on one local core. */
    invoked(name: string, role: keyof typeof memory, localMs: number): void {
      const m = meterOf(name, role);
      const scaled = localMs * Math.max(1, FULL_VCPU_MB / memory[role]);
      m.invocations++;
      m.localMs += localMs;
      m.billedMs += Math.max(1, Math.ceil(scaled));
      m.scaledMs.push(scaled);
    },

    /** Wraps an in-process handler so its invocations are timed. */
    handler(name: string, role: keyof typeof memory, handler: LambdaHandler): LambdaHandler {
      return async (event, context, callback) => {
        const t0 = performance.now();
        try {
          return await handler(event, context, callback);
        } finally {
          this.invoked(name, role, performance.now() - t0);
        }
      };
    },

    /** The run's usage, for `logs` (the day's bytes and objects). */
    async finish(logs: { bytes: number; files: number }): Promise<RunUsage> {
      const after = await options.requestCounts?.();
      const counts = after && before ? diffCounts(after, before) : after;
      // Each child waits for its analysis and shares the service tasks' time.
      const analyzer = [...functions.values()].find((f) => f.role === 'analyzer')?.meter;
      const servicePerChild = children > 0 ? serviceTaskMs / children : 0;
      let expressBilledDurationMs = 0;
      for (let i = 0; i < children; i++) {
        const ms = (analyzer?.scaledMs[i] ?? 0) + servicePerChild;
        expressBilledDurationMs += Math.max(100, Math.ceil(ms / 100) * 100);
      }
      const s3 = counts?.requests.s3 ?? {};
      const op = (service: Record<string, number>, ...names: string[]) =>
        names.reduce((sum, n) => sum + (service[n] ?? 0), 0);
      const retries = Math.max(0, transitions.taskScheduled - transitions.taskEntered);
      return {
        logs,
        stepFunctions: {
          // the parent's states and retries, and one transition per Distributed Map child
          standardTransitions: transitions.entered + retries + children,
          expressExecutions: children,
          expressBilledDurationMs,
          expressMemoryMb: EXPRESS_MEMORY_MB,
        },
        lambda: [...functions.entries()].map(([name, { role, meter }]) => ({
          name,
          memoryMb: memory[role],
          invocations: meter.invocations,
          billedDurationMs: meter.billedMs,
          invokedPer: role === 'reporter' ? ('day' as const) : ('child' as const),
        })),
        s3: {
          get: op(s3, 'GetObject', 'HeadObject', 'HeadBucket'),
          list: op(s3, 'ListObjectsV2', 'ListObjects'),
          put: op(s3, 'PutObject', 'UploadPart', 'CreateMultipartUpload', 'CompleteMultipartUpload'),
          copy: op(s3, 'CopyObject'),
          storedBytes: counts?.s3PutBytes ?? 0,
          storedMonths: 1,
        },
        dynamodb: { wru: counts?.dynamodbWru ?? 0, rru: counts?.dynamodbRru ?? 0 },
        cloudwatch: {
          putMetricDataRequests: op(counts?.requests.cloudwatch ?? {}, 'PutMetricData'),
          metrics: counts?.metrics ?? 0,
          metricHours: counts ? counts.metricHours : 0,
        },
        measured: {
          requests: counts?.requests ?? null,
          localDurationMs: Object.fromEntries(
            [...functions.entries()].map(([name, { meter }]) => [name, Math.round(meter.localMs)]),
          ),
          serviceTaskMs: Math.round(serviceTaskMs),
          tasks: { ...tasks },
        },
      };
    },
  };
}

export type UsageMeter = ReturnType<typeof createUsageMeter>;
