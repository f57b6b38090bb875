/**
 * The Step Functions API over asl-runtime: state machines, executions (run in this process),
 * histories, Map Runs and redrive, with AWS's request and response shapes (dates as epoch
 * seconds, as awsJson1_0 sends them) and error codes. `call(action, input)` is the whole API;
 * http.ts puts it on the wire.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '@logflow/shared-types';
import {
  startExecution,
  validateDefinition,
  type ChildExecution,
  type ExecutionHandle,
  type ExecutionOptions,
  type ExecutionResult,
  type HistoryEvent,
  type ItemReader,
  type RedriveMapRun,
  type ResultWriter,
  type StreamingResultWriter,
  type StateDefinition,
  type StateMachineDefinition,
  type TaskInvoker,
} from '@logflow/asl-runtime';
import {
  checkName,
  executionArn,
  executionParts,
  parseArn,
  stateMachineArn,
  stateMachineName,
  type Account,
} from './arn.js';
import { clean, SfnError, validationError } from './errors.js';
import type { JsonLog } from './json-log.js';
import { resumePoint, type WireEvent } from './redrive-plan.js';
import {
  Store,
  type ChildRecord,
  type ExecutionRecord,
  type MapRunRecord,
  type StateMachineRecord,
  type StateMachineType,
} from './store.js';
import { testState } from './test-state.js';

/** What executions use to run Task states and Distributed Map readers and writers. */
export interface ServiceIntegrations {
  taskInvoker?: TaskInvoker;
  itemReader?: ItemReader;
  resultWriter?: ResultWriter | StreamingResultWriter;
}

export interface StepFunctionsServiceOptions {
  /** Folder for the records; undefined keeps everything in memory. */
  dir?: string;
  region?: string;
  accountId?: string;
  integrations?: ServiceIntegrations;
  /** Skip the delays of Wait states and Retry intervals. */
  noWait?: boolean;
  /** "Now" for every date: creation, start, stop and redrive dates and history timestamps. */
  now?: Clock;
}

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

const PAYLOAD_LIMIT = 256 * 1024;
const REDRIVE_DAYS = 14;
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

interface Running {
  handle: ExecutionHandle;
  done: Promise<void>;
  stop?: { error?: string; cause?: string };
}

function str(input: Input, field: string, required = true): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) {
    if (required) throw validationError(field, v, 'Member must not be null');
    return undefined;
  }
  if (typeof v !== 'string') throw new SfnError('SerializationException', `${field} must be a string`);
  return v;
}

function maxResults(input: Input, limit = 1000): number {
  const v = input.maxResults;
  if (v === undefined || v === null || v === 0) return 100;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > limit)
    throw validationError('maxResults', v, `Member must have value less than or equal to ${limit}`);
  return v;
}

/** Opaque page tokens: the position to go on from, tied to what is listed. */
function token(scope: string, position: number): string {
  return Buffer.from(JSON.stringify({ s: scope, p: position })).toString('base64url');
}

function fromToken(input: Input, scope: string): number | undefined {
  const t = str(input, 'nextToken', false);
  if (t === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(t, 'base64url').toString('utf8')) as { s?: unknown; p?: unknown };
    if (v.s === scope && typeof v.p === 'number' && Number.isInteger(v.p) && v.p >= 0) return v.p;
  } catch {
    // falls through to InvalidToken
  }
  throw new SfnError('InvalidToken', `Invalid Token: '${t}'`);
}

function page<T>(items: T[], input: Input, scope: string): { items: T[]; nextToken?: string } {
  const from = fromToken(input, scope) ?? 0;
  const n = maxResults(input);
  const slice = items.slice(from, from + n);
  return { items: slice, ...(from + n < items.length ? { nextToken: token(scope, from + n) } : {}) };
}

function parseDefinitionText(text: string): StateMachineDefinition {
  const result = validateDefinition(text);
  if (!result.valid)
    throw new SfnError(
      'InvalidDefinition',
      `Invalid State Machine Definition: '${result.issues.map((i) => `SCHEMA_VALIDATION_FAILED: ${i.message}`).join(', ')}'`,
    );
  return JSON.parse(text) as StateMachineDefinition;
}

function checkInput(text: string | undefined): string {
  const input = text ?? '{}';
  if (Buffer.byteLength(input) > PAYLOAD_LIMIT)
    throw validationError('input', '...', `Member must have length less than or equal to ${PAYLOAD_LIMIT}`);
  try {
    JSON.parse(input);
  } catch (e) {
    throw new SfnError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: '${(e as Error).message}'`,
    );
  }
  return input;
}

/** A literal number field of a Map state (a path or expression counts as 0, AWS's "unset"). */
function literal(state: StateDefinition | undefined, field: keyof StateDefinition): number {
  const v = state?.[field];
  return typeof v === 'number' ? v : 0;
}

function findState(def: StateMachineDefinition, name: string): StateDefinition | undefined {
  for (const [n, st] of Object.entries(def.States ?? {})) {
    if (n === name) return st;
    for (const p of [st.ItemProcessor, st.Iterator, ...(st.Branches ?? [])]) {
      const found = p ? findState(p as StateMachineDefinition, name) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

/** The members DescribeExecution and StartSyncExecution share. */
function executionShape(e: {
  executionArn: string;
  stateMachineArn: string;
  status: string;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}): Output {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.executionArn.slice(e.executionArn.lastIndexOf(':') + 1),
    status: e.status,
    startDate: seconds(e.startDate),
    stopDate: seconds(e.stopDate),
    input: e.input,
    inputDetails: { included: true },
    output: e.output,
    outputDetails: e.output === undefined ? undefined : { included: true },
    error: e.error,
    cause: e.cause,
  };
}

function wireEvent(e: HistoryEvent): WireEvent {
  return { ...e, timestamp: e.timestamp.getTime() / 1000 } as WireEvent;
}

export class StepFunctionsService {
  private readonly account: Account;
  private readonly store: Store;
  private readonly now: Clock;
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly mapRuns = new Map<string, MapRunRecord>();
  private readonly running = new Map<string, Running>();
  /** Map Run child ARN → its Map Run, for DescribeExecution of a child. */
  private readonly childOf = new Map<string, string>();
  private childrenIndexed = false;
  /** The newest line of each child of a Map Run, without its input and output (read by line). */
  private readonly childIndexes = new Map<string, Promise<ChildIndex>>();
  /** Child records on their way to a children log. */
  private readonly childWrites = new Set<Promise<void>>();

  private constructor(private readonly options: StepFunctionsServiceOptions) {
    this.account = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '123456789012' };
    this.store = new Store(options.dir);
    this.now = options.now ?? systemClock;
  }

  /** Loads the records in `options.dir`. An execution left running by a stopped endpoint is ABORTED. */
  static async open(options: StepFunctionsServiceOptions = {}): Promise<StepFunctionsService> {
    const service = new StepFunctionsService(options);
    const { machines, executions, mapRuns } = await service.store.load();
    for (const m of machines) service.machines.set(m.stateMachineArn, m);
    for (const e of executions) {
      if (e.status === 'RUNNING') {
        Object.assign(e, {
          status: 'ABORTED',
          stopDate: service.now().getTime(),
          cause: 'The local endpoint stopped while the execution was running',
        });
        service.store.saveExecution(e);
      }
      service.executions.set(e.executionArn, e);
    }
    for (const r of mapRuns) {
      if (r.status === 'RUNNING') {
        Object.assign(r, { status: 'ABORTED', stopDate: service.now().getTime() });
        service.store.saveMapRun(r);
      }
      service.mapRuns.set(r.mapRunArn, r);
    }
    return service;
  }

  /** Every action of the API, by name (`StartExecution`, ...). */
  async call(action: string, input: Input): Promise<Output> {
    switch (action) {
      case 'CreateStateMachine':
        return this.createStateMachine(input);
      case 'UpdateStateMachine':
        return this.updateStateMachine(input);
      case 'DescribeStateMachine':
        return this.describeStateMachine(input);
      case 'DescribeStateMachineForExecution':
        return this.describeStateMachineForExecution(input);
      case 'ListStateMachines':
        return this.listStateMachines(input);
      case 'DeleteStateMachine':
        return this.deleteStateMachine(input);
      case 'StartExecution':
        return this.startExecution(input);
      case 'StartSyncExecution':
        return this.startSyncExecution(input);
      case 'DescribeExecution':
        return this.describeExecution(input);
      case 'StopExecution':
        return this.stopExecution(input);
      case 'ListExecutions':
        return this.listExecutions(input);
      case 'GetExecutionHistory':
        return this.getExecutionHistory(input);
      case 'DescribeMapRun':
        return this.describeMapRun(input);
      case 'ListMapRuns':
        return this.listMapRuns(input);
      case 'RedriveExecution':
        return this.redriveExecution(input);
      case 'ValidateStateMachineDefinition':
        return this.validate(input);
      case 'TestState':
        return testState(input, this.options.integrations ?? {}, this.now);
      default:
        throw new SfnError('UnknownOperationException', `Unknown operation: ${action}`);
    }
  }

  /** Resolves when the execution is no longer running (for tests and the console). */
  async settled(executionArn: string): Promise<void> {
    await this.running.get(executionArn)?.done;
  }

  /** Stops every running execution and writes everything pending. */
  async close(): Promise<void> {
    for (const r of this.running.values()) r.handle.stop();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await this.store.flush();
  }

  // ---- state machines ----

  private machine(arn: unknown): StateMachineRecord {
    stateMachineName(arn);
    const m = this.machines.get(arn as string);
    if (!m) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
    return m;
  }

  private createStateMachine(input: Input): Output {
    const name = checkName(str(input, 'name'), '');
    const definition = str(input, 'definition') as string;
    const roleArn = str(input, 'roleArn') as string;
    if (!roleArn.startsWith('arn:')) throw new SfnError('InvalidArn', `Invalid Arn: '${roleArn}'`);
    const type = (str(input, 'type', false) ?? 'STANDARD') as StateMachineType;
    if (type !== 'STANDARD' && type !== 'EXPRESS')
      throw validationError('type', type, 'Member must satisfy enum value set: [STANDARD, EXPRESS]');
    parseDefinitionText(definition);
    const arn = stateMachineArn(this.account, name);
    const existing = this.machines.get(arn);
    if (existing) {
      // Creating the same machine again is idempotent; a different one under the name is refused.
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type)
        return { stateMachineArn: arn, creationDate: seconds(existing.creationDate) };
      throw new SfnError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const record: StateMachineRecord = {
      stateMachineArn: arn,
      name,
      definition,
      roleArn,
      type,
      creationDate: this.now().getTime(),
      revisionId: randomUUID(),
      ...(input.loggingConfiguration ? { loggingConfiguration: input.loggingConfiguration } : {}),
      ...(input.tracingConfiguration ? { tracingConfiguration: input.tracingConfiguration } : {}),
    };
    this.machines.set(arn, record);
    this.store.saveMachine(record);
    return { stateMachineArn: arn, creationDate: seconds(record.creationDate) };
  }

  private updateStateMachine(input: Input): Output {
    const m = this.machine(str(input, 'stateMachineArn'));
    const definition = str(input, 'definition', false);
    const roleArn = str(input, 'roleArn', false);
    if (
      definition === undefined &&
      roleArn === undefined &&
      input.loggingConfiguration === undefined &&
      input.tracingConfiguration === undefined
    )
      throw new SfnError(
        'ValidationException',
        'Request must contain at least one of definition, roleArn, loggingConfiguration, tracingConfiguration',
      );
    if (definition !== undefined) {
      parseDefinitionText(definition);
      m.definition = definition;
    }
    if (roleArn !== undefined) m.roleArn = roleArn;
    if (input.loggingConfiguration !== undefined) m.loggingConfiguration = input.loggingConfiguration;
    if (input.tracingConfiguration !== undefined) m.tracingConfiguration = input.tracingConfiguration;
    m.updateDate = this.now().getTime();
    m.revisionId = randomUUID();
    this.store.saveMachine(m);
    return { updateDate: seconds(m.updateDate), revisionId: m.revisionId };
  }

  private describeMachine(m: StateMachineRecord): Output {
    return clean({
      stateMachineArn: m.stateMachineArn,
      name: m.name,
      status: 'ACTIVE',
      definition: m.definition,
      roleArn: m.roleArn,
      type: m.type,
      creationDate: seconds(m.creationDate),
      loggingConfiguration: m.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: m.tracingConfiguration ?? { enabled: false },
      revisionId: m.revisionId,
    });
  }

  private describeStateMachine(input: Input): Output {
    return this.describeMachine(this.machine(str(input, 'stateMachineArn')));
  }

  private describeStateMachineForExecution(input: Input): Output {
    const e = this.execution(str(input, 'executionArn'));
    const m = this.machines.get(e.stateMachineArn);
    return clean({
      stateMachineArn: e.stateMachineArn,
      name: m?.name ?? stateMachineName(e.stateMachineArn),
      definition: e.definition,
      roleArn: e.roleArn,
      updateDate: seconds(m?.updateDate ?? m?.creationDate ?? e.startDate),
      loggingConfiguration: m?.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: m?.tracingConfiguration ?? { enabled: false },
    });
  }

  private listStateMachines(input: Input): Output {
    const all = [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
    const { items, nextToken } = page(all, input, 'state-machines');
    return clean({
      stateMachines: items.map((m) => ({
        stateMachineArn: m.stateMachineArn,
        name: m.name,
        type: m.type,
        creationDate: seconds(m.creationDate),
      })),
      nextToken,
    });
  }

  private async deleteStateMachine(input: Input): Promise<Output> {
    const arn = str(input, 'stateMachineArn') as string;
    const name = stateMachineName(arn);
    // Running executions go on; the machine is gone at once (AWS: DELETING, then gone).
    if (this.machines.delete(arn)) await this.store.deleteMachine(name);
    return {};
  }

  // ---- executions ----

  private execution(arn: unknown): ExecutionRecord {
    executionParts(arn);
    const e = this.executions.get(arn as string);
    if (!e) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
    return e;
  }

  private async startExecution(input: Input): Promise<Output> {
    const m = this.machine(str(input, 'stateMachineArn'));
    const name = checkName(str(input, 'name', false) ?? randomUUID(), '');
    const text = checkInput(str(input, 'input', false));
    const arn = executionArn(this.account, m.name, name);
    const existing = this.executions.get(arn);
    if (existing) {
      // A repeated StartExecution of a running execution with the same input is idempotent.
      if (existing.status === 'RUNNING' && existing.input === text && m.type === 'STANDARD')
        return { executionArn: arn, startDate: seconds(existing.startDate) };
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const record: ExecutionRecord = {
      executionArn: arn,
      stateMachineArn: m.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: this.now().getTime(),
      input: text,
      redriveCount: 0,
      definition: m.definition,
      roleArn: m.roleArn,
      type: m.type,
    };
    this.executions.set(arn, record);
    this.store.saveExecution(record);
    await this.run(record, {});
    return { executionArn: arn, startDate: seconds(record.startDate) };
  }

  private async startSyncExecution(input: Input): Promise<Output> {
    const m = this.machine(str(input, 'stateMachineArn'));
    if (m.type !== 'EXPRESS')
      throw new SfnError(
        'StateMachineTypeNotSupported',
        'This operation is not supported by this type of state machine',
      );
    const { executionArn: arn } = await this.startExecution(input);
    await this.settled(arn as string);
    const e = this.execution(arn);
    return clean({
      ...executionShape(e),
      billingDetails: {
        billedMemoryUsedInMB: 64,
        billedDurationInMilliseconds: Math.max(
          100,
          Math.ceil(((e.stopDate ?? e.startDate) - e.startDate) / 100) * 100,
        ),
      },
    });
  }

  /** Starts (or, with a plan, redrives) the execution of `record` in this process. */
  private async run(record: ExecutionRecord, extra: Pick<ExecutionOptions, 'redrive'>): Promise<void> {
    const log = extra.redrive ? await this.store.history(record) : this.store.newHistory(record);
    const definition = JSON.parse(record.definition) as StateMachineDefinition;
    const openMapRuns: MapRunRecord[] = [];
    let lastMapState = '';
    const integrations = this.options.integrations ?? {};
    const options: ExecutionOptions = {
      ...integrations,
      name: record.name,
      stateMachineArn: record.stateMachineArn,
      roleArn: record.roleArn,
      keepHistory: false,
      noWait: this.options.noWait ?? false,
      clock: this.now,
      ...extra,
      onEvent: (event) => {
        log.append(wireEvent(event));
        if (event.type === 'MapStateEntered')
          lastMapState = (event.stateEnteredEventDetails as { name: string }).name;
        else if (event.type === 'MapRunStarted' || event.type === 'MapRunRedriven') {
          const d = (event.mapRunStartedEventDetails ?? event.mapRunRedrivenEventDetails) as {
            mapRunArn: string;
          };
          openMapRuns.push(
            this.mapRunStarted(record, d.mapRunArn, lastMapState, definition, event.timestamp),
          );
        } else if (event.type === 'MapRunSucceeded' || event.type === 'MapRunFailed') {
          const run = openMapRuns.pop();
          if (run)
            this.mapRunEnded(run, event.type === 'MapRunSucceeded' ? 'SUCCEEDED' : 'FAILED', event.timestamp);
        }
      },
      onMapRunProgress: (p) => {
        const run = this.mapRuns.get(p.mapRunArn);
        if (!run) return;
        Object.assign(run, {
          started: p.started,
          succeeded: p.succeeded,
          failed: p.failed,
          items: p.items,
          stateName: p.stateName,
        });
        if (p.done) this.store.saveMapRun(run);
      },
      onChildExecution: (c) => {
        const write = this.childEnded(c).catch((error: unknown) => {
          // The run goes on; the lost record is said, not dropped silently.
          process.stderr.write(
            `local-sfn: could not record Map Run child ${c.executionArn}: ${String(error)}\n`,
          );
        });
        this.childWrites.add(write);
        void write.then(() => this.childWrites.delete(write));
      },
    };
    const handle = startExecution(definition, JSON.parse(record.input), options);
    const running: Running = {
      handle,
      done: handle.result.then(
        (result) => this.ended(record, result, log, openMapRuns),
        (error: unknown) =>
          this.ended(
            record,
            { status: 'FAILED', error: 'States.Runtime', cause: String(error) } as ExecutionResult,
            log,
            openMapRuns,
          ),
      ),
    };
    this.running.set(record.executionArn, running);
  }

  private async ended(
    record: ExecutionRecord,
    result: ExecutionResult,
    log: JsonLog,
    openMapRuns: MapRunRecord[],
  ): Promise<void> {
    const stop = this.running.get(record.executionArn)?.stop;
    for (const run of openMapRuns) this.mapRunEnded(run, 'ABORTED', this.now());
    Object.assign(record, {
      status: result.status,
      stopDate: this.now().getTime(),
      output: result.status === 'SUCCEEDED' ? JSON.stringify(result.output ?? null) : undefined,
      error: result.status === 'ABORTED' ? stop?.error : result.error,
      cause: result.status === 'ABORTED' ? stop?.cause : result.cause,
    });
    clean(record as unknown as Output);
    this.store.saveExecution(record);
    // `settled()` resolves once the history and the children are on disk (reads wait for them anyway).
    await Promise.allSettled([...this.childWrites]);
    await log.flush().catch((error: unknown) => {
      // GetExecutionHistory reports the same failure; the execution's own record is still kept.
      process.stderr.write(
        `local-sfn: could not write the history of ${record.executionArn}: ${String(error)}\n`,
      );
    });
    this.running.delete(record.executionArn);
  }

  private describeExecution(input: Input): Output | Promise<Output> {
    const arn = str(input, 'executionArn');
    const e = this.executions.get(arn as string);
    if (!e) return this.describeChild(arn as string);
    const redrivable = this.redrivable(e);
    return clean({
      ...executionShape(e),
      redriveCount: e.redriveCount,
      redriveDate: seconds(e.redriveDate),
      redriveStatus: redrivable === true ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
      redriveStatusReason: redrivable === true ? undefined : redrivable,
    });
  }

  /** True, or why not. */
  private redrivable(e: ExecutionRecord): true | string {
    if (e.type === 'EXPRESS') return 'Redrive is not supported for EXPRESS state machines';
    if (e.status === 'RUNNING' || e.status === 'SUCCEEDED') return `Execution is ${e.status}`;
    if (this.now().getTime() - (e.stopDate ?? e.startDate) > REDRIVE_DAYS * 86_400_000)
      return `Execution stopped more than ${REDRIVE_DAYS} days ago`;
    return true;
  }

  private stopExecution(input: Input): Output {
    const e = this.execution(str(input, 'executionArn'));
    const running = this.running.get(e.executionArn);
    const stopDate = this.now();
    if (running) {
      running.stop = clean({ error: str(input, 'error', false), cause: str(input, 'cause', false) });
      running.handle.stop();
    }
    return { stopDate: stopDate.getTime() / 1000 };
  }

  private async listExecutions(input: Input): Promise<Output> {
    const machineArn = str(input, 'stateMachineArn', false);
    const mapRunArn = str(input, 'mapRunArn', false);
    const statusFilter = str(input, 'statusFilter', false);
    const redriveFilter = str(input, 'redriveFilter', false);
    if ((machineArn === undefined) === (mapRunArn === undefined))
      throw new SfnError('ValidationException', 'Must provide a StateMachine ARN or MapRun ARN');
    let items: Output[];
    if (machineArn !== undefined) {
      this.machine(machineArn);
      items = [...this.executions.values()]
        .filter((e) => e.stateMachineArn === machineArn)
        .filter((e) => statusFilter === undefined || e.status === statusFilter)
        .filter((e) => redriveFilter !== 'REDRIVEN' || e.redriveCount > 0)
        .filter((e) => redriveFilter !== 'NOT_REDRIVEN' || e.redriveCount === 0)
        .sort((a, b) => b.startDate - a.startDate)
        .map((e) =>
          clean({
            executionArn: e.executionArn,
            stateMachineArn: e.stateMachineArn,
            name: e.name,
            status: e.status,
            startDate: seconds(e.startDate),
            stopDate: seconds(e.stopDate),
            redriveCount: e.redriveCount,
            redriveDate: seconds(e.redriveDate),
          }),
        );
    } else {
      const run = this.mapRun(mapRunArn);
      const children = await this.children(run.mapRunArn);
      items = [...children.byIndex.values()]
        .filter((c) => statusFilter === undefined || c.status === statusFilter)
        .map((c) => ({
          executionArn: c.executionArn,
          stateMachineArn: run.stateMachineArn,
          name: c.executionArn.slice(c.executionArn.lastIndexOf(':') + 1),
          status: c.status,
          startDate: seconds(c.startDate),
          stopDate: seconds(c.stopDate),
          mapRunArn: run.mapRunArn,
        }));
    }
    const { items: executions, nextToken } = page(items, input, `executions:${machineArn ?? mapRunArn}`);
    return clean({ executions, nextToken });
  }

  private async getExecutionHistory(input: Input): Promise<Output> {
    const arn = str(input, 'executionArn') as string;
    const e = this.executions.get(arn);
    if (!e) return this.childHistory(arn, input);
    const log = await this.store.history(e);
    const n = maxResults(input);
    const reverse = input.reverseOrder === true;
    const total = log.length;
    const from = fromToken(input, `history:${arn}:${reverse ? 'r' : 'f'}`) ?? (reverse ? total - 1 : 0);
    let events: unknown[];
    let next: number | undefined;
    if (reverse) {
      const start = Math.max(0, from - n + 1);
      events = (await log.read(start, from + 1)).reverse();
      next = start > 0 ? start - 1 : undefined;
    } else {
      events = await log.read(from, from + n);
      next = from + n < total ? from + n : undefined;
    }
    if (input.includeExecutionData === false) events = events.map(withoutData);
    return clean({
      events,
      nextToken: next === undefined ? undefined : token(`history:${arn}:${reverse ? 'r' : 'f'}`, next),
    });
  }

  // ---- Map Runs ----

  private mapRun(arn: unknown): MapRunRecord {
    parseArn(arn, 'mapRun');
    const r = this.mapRuns.get(arn as string);
    if (!r) throw new SfnError('ResourceNotFound', `Resource not found: '${String(arn)}'`);
    return r;
  }

  private mapRunStarted(
    execution: ExecutionRecord,
    mapRunArn: string,
    stateName: string,
    definition: StateMachineDefinition,
    at: Date,
  ): MapRunRecord {
    const existing = this.mapRuns.get(mapRunArn);
    if (existing) {
      Object.assign(existing, {
        status: 'RUNNING',
        redriveCount: existing.redriveCount + 1,
        redriveDate: at.getTime(),
      });
      delete existing.stopDate;
      this.store.saveMapRun(existing);
      return existing;
    }
    const state = findState(definition, stateName);
    const label = mapRunArn.slice(mapRunArn.indexOf(':mapRun:') + 8, mapRunArn.lastIndexOf(':'));
    const record: MapRunRecord = {
      mapRunArn,
      executionArn: execution.executionArn,
      stateMachineArn: `arn:aws:states:${this.account.region}:${this.account.accountId}:stateMachine:${label}`,
      stateName,
      status: 'RUNNING',
      startDate: at.getTime(),
      maxConcurrency: literal(state, 'MaxConcurrency'),
      toleratedFailureCount: literal(state, 'ToleratedFailureCount'),
      toleratedFailurePercentage: literal(state, 'ToleratedFailurePercentage'),
      redriveCount: 0,
      started: 0,
      succeeded: 0,
      failed: 0,
    };
    this.mapRuns.set(mapRunArn, record);
    this.store.saveMapRun(record);
    return record;
  }

  private mapRunEnded(run: MapRunRecord, status: MapRunRecord['status'], at: Date): void {
    run.status = status;
    run.stopDate = at.getTime();
    this.store.saveMapRun(run);
  }

  private async childEnded(c: ChildExecution): Promise<void> {
    const record: ChildRecord = clean({
      index: c.index,
      executionArn: c.executionArn,
      status: c.status,
      input: JSON.stringify(c.input ?? null),
      output: c.status === 'SUCCEEDED' ? JSON.stringify(c.output ?? null) : undefined,
      error: c.error,
      cause: c.cause,
      startDate: c.startDate.getTime(),
      stopDate: c.stopDate.getTime(),
    }) as unknown as ChildRecord;
    this.childOf.set(c.executionArn, c.mapRunArn);
    const [log, index] = await Promise.all([this.store.children(c.mapRunArn), this.children(c.mapRunArn)]);
    log.append(record);
    index.add(record, log.length - 1);
  }

  /** The children of a Map Run, indexed once from its log and kept up to date. */
  private children(mapRunArn: string): Promise<ChildIndex> {
    let index = this.childIndexes.get(mapRunArn);
    if (!index) {
      index = (async () => {
        const built = new ChildIndex();
        let line = 0;
        for await (const c of (await this.store.children(mapRunArn)).entries())
          built.add(c as ChildRecord, line++);
        return built;
      })();
      this.childIndexes.set(mapRunArn, index);
    }
    return index;
  }

  /** A child's whole record (with input and output), read from its line. */
  private async childRecord(mapRunArn: string, child: SlimChild): Promise<ChildRecord> {
    const [record] = await (await this.store.children(mapRunArn)).read(child.line, child.line + 1);
    return record as ChildRecord;
  }

  private async findChild(arn: string): Promise<{ run: MapRunRecord; child: ChildRecord }> {
    executionParts(arn);
    if (!this.childOf.has(arn) && !this.childrenIndexed) {
      this.childrenIndexed = true;
      for (const run of this.mapRuns.values())
        for (const c of (await this.children(run.mapRunArn)).byIndex.values())
          this.childOf.set(c.executionArn, run.mapRunArn);
    }
    const mapRunArn = this.childOf.get(arn);
    const run = mapRunArn ? this.mapRuns.get(mapRunArn) : undefined;
    const slim = run ? (await this.children(run.mapRunArn)).byArn.get(arn) : undefined;
    if (!run || !slim) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return { run, child: await this.childRecord(run.mapRunArn, slim) };
  }

  private async describeChild(arn: string): Promise<Output> {
    const { run, child } = await this.findChild(arn);
    return clean({
      ...executionShape({ ...child, stateMachineArn: run.stateMachineArn }),
      mapRunArn: run.mapRunArn,
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is a child of a Map Run: redrive the parent execution',
    });
  }

  /** A child's history is not kept: its start and end are rebuilt from its record. */
  private async childHistory(arn: string, input: Input): Promise<Output> {
    const { child } = await this.findChild(arn);
    const end: WireEvent =
      child.status === 'SUCCEEDED'
        ? {
            id: 2,
            previousEventId: 1,
            timestamp: child.stopDate / 1000,
            type: 'ExecutionSucceeded',
            executionSucceededEventDetails: { output: child.output, outputDetails: { truncated: false } },
          }
        : {
            id: 2,
            previousEventId: 1,
            timestamp: child.stopDate / 1000,
            type: 'ExecutionFailed',
            executionFailedEventDetails: clean({ error: child.error, cause: child.cause }),
          };
    const events: WireEvent[] = [
      {
        id: 1,
        previousEventId: 0,
        timestamp: child.startDate / 1000,
        type: 'ExecutionStarted',
        executionStartedEventDetails: { input: child.input, inputDetails: { truncated: false } },
      },
      end,
    ];
    return { events: input.reverseOrder === true ? events.reverse() : events };
  }

  private describeMapRun(input: Input): Output {
    const r = this.mapRun(str(input, 'mapRunArn'));
    // executionCounts count child executions, itemCounts the items in them (several per batch)
    const countsOf = (c: { started: number; succeeded: number; failed: number }) => {
      const unfinished = Math.max(0, c.started - c.succeeded - c.failed);
      return {
        pending: 0,
        running: r.status === 'RUNNING' ? unfinished : 0,
        succeeded: c.succeeded,
        failed: c.failed,
        timedOut: 0,
        aborted: r.status === 'ABORTED' ? unfinished : 0,
        total: c.started,
        resultsWritten: r.status === 'RUNNING' ? 0 : c.succeeded + c.failed,
        failuresNotRedrivable: 0,
        pendingRedrive: 0,
      };
    };
    const counts = countsOf(r);
    const itemCounts = countsOf(r.items ?? r);
    return clean({
      mapRunArn: r.mapRunArn,
      executionArn: r.executionArn,
      status: r.status,
      startDate: seconds(r.startDate),
      stopDate: seconds(r.stopDate),
      maxConcurrency: r.maxConcurrency,
      toleratedFailurePercentage: r.toleratedFailurePercentage,
      toleratedFailureCount: r.toleratedFailureCount,
      itemCounts,
      executionCounts: counts,
      redriveCount: r.redriveCount,
      redriveDate: seconds(r.redriveDate),
    });
  }

  private listMapRuns(input: Input): Output {
    const e = this.execution(str(input, 'executionArn'));
    const runs = [...this.mapRuns.values()]
      .filter((r) => r.executionArn === e.executionArn)
      .sort((a, b) => b.startDate - a.startDate)
      .map((r) =>
        clean({
          executionArn: r.executionArn,
          mapRunArn: r.mapRunArn,
          stateMachineArn: r.stateMachineArn,
          startDate: seconds(r.startDate),
          stopDate: seconds(r.stopDate),
        }),
      );
    const { items: mapRuns, nextToken } = page(runs, input, `map-runs:${e.executionArn}`);
    return clean({ mapRuns, nextToken });
  }

  // ---- redrive ----

  private async redriveExecution(input: Input): Promise<Output> {
    const e = this.execution(str(input, 'executionArn'));
    const why = this.redrivable(e);
    if (why !== true) throw new SfnError('ExecutionNotRedrivable', `Execution is not redrivable: ${why}`);
    // The last attempt's history and children may still be on their way to disk.
    await this.settled(e.executionArn);
    const log = await this.store.history(e);
    const point = await resumePoint(log.entries());
    const definition = JSON.parse(e.definition) as StateMachineDefinition;
    const mapRuns: Record<string, RedriveMapRun> = {};
    if (point.state && point.mapRunArn) {
      const succeeded = new Map<
        number,
        { executionArn: string; output: unknown; startDate: Date; stopDate: Date }
      >();
      const index = await this.children(point.mapRunArn);
      let line = 0;
      // One pass over the log: the newest line of each child that succeeded carries its output.
      for await (const raw of (await this.store.children(point.mapRunArn)).entries()) {
        const c = raw as ChildRecord;
        if (c.status === 'SUCCEEDED' && index.byIndex.get(c.index)?.line === line)
          succeeded.set(c.index, {
            executionArn: c.executionArn,
            output: JSON.parse(c.output ?? 'null'),
            startDate: new Date(c.startDate),
            stopDate: new Date(c.stopDate),
          });
        line++;
      }
      mapRuns[point.state.name] = { mapRunArn: point.mapRunArn, succeeded };
    }
    const redriveDate = this.now().getTime();
    Object.assign(e, { status: 'RUNNING', redriveCount: e.redriveCount + 1, redriveDate });
    for (const k of ['stopDate', 'output', 'error', 'cause'] as const) delete e[k];
    this.store.saveExecution(e);
    await this.run(e, {
      redrive: {
        startAt: point.state?.name ?? definition.StartAt,
        stateInput: point.state ? point.state.input : JSON.parse(e.input),
        variables: point.variables,
        lastEventId: point.lastEventId,
        redriveCount: e.redriveCount,
        startDate: new Date(e.startDate),
        mapRuns,
      },
    });
    return { redriveDate: redriveDate / 1000 };
  }

  // ---- validation ----

  private validate(input: Input): Output {
    const definition = str(input, 'definition') as string;
    const result = validateDefinition(definition);
    return {
      result: result.valid ? 'OK' : 'FAIL',
      diagnostics: result.issues.map((i) =>
        clean({
          severity: 'ERROR',
          code: 'SCHEMA_VALIDATION_FAILED',
          message: i.message,
          location: i.state
            ? `/States/${i.state}${i.field ? `/${i.field.replace(/\./g, '/')}` : ''}`
            : undefined,
        }),
      ),
      truncated: false,
    };
  }
}

/** History details without the execution data (`includeExecutionData: false`). */
function withoutData(event: unknown): unknown {
  const e = { ...(event as Record<string, unknown>) };
  for (const [k, v] of Object.entries(e))
    if (k.endsWith('EventDetails') && v && typeof v === 'object') {
      const d = { ...(v as Record<string, unknown>) };
      for (const f of ['input', 'output', 'inputDetails', 'outputDetails', 'parameters']) delete d[f];
      e[k] = d;
    }
  return e;
}

/** A child's newest record without its input and output, and the log line holding all of it. */
type SlimChild = Omit<ChildRecord, 'input' | 'output'> & { line: number };

/** The newest record of every child of one Map Run, by index and by ARN. */
class ChildIndex {
  readonly byIndex = new Map<number, SlimChild>();
  readonly byArn = new Map<string, SlimChild>();

  add(record: ChildRecord, line: number): void {
    const { input: _input, output: _output, ...rest } = record;
    const slim: SlimChild = { ...rest, line };
    const before = this.byIndex.get(record.index);
    if (before) this.byArn.delete(before.executionArn);
    this.byIndex.set(record.index, slim);
    this.byArn.set(record.executionArn, slim);
  }
}
