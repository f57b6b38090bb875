/**
 * Where the service keeps its records: one JSON file per state machine, execution and Map Run,
 * and JSON Lines logs for histories and Map Run children, under the service's folder. Without
 * a folder everything stays in memory.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JsonLog } from './json-log.js';

export type StateMachineType = 'STANDARD' | 'EXPRESS';
export type ExecutionStatus =
  'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
export type MapRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** Dates are epoch milliseconds. */
export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: StateMachineType;
  creationDate: number;
  updateDate?: number;
  revisionId: string;
  loggingConfiguration?: unknown;
  tracingConfiguration?: unknown;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveDate?: number;
  /** The definition the execution runs (a later UpdateStateMachine does not change it). */
  definition: string;
  roleArn: string;
  type: StateMachineType;
}

export interface MapRunRecord {
  mapRunArn: string;
  executionArn: string;
  /** The child executions' state machine: `<machine ARN>/<label>`. */
  stateMachineArn: string;
  stateName: string;
  status: MapRunStatus;
  startDate: number;
  stopDate?: number;
  maxConcurrency: number;
  toleratedFailureCount: number;
  toleratedFailurePercentage: number;
  redriveCount: number;
  redriveDate?: number;
  started: number;
  succeeded: number;
  failed: number;
  /** The same counts in items (a batched child holds several); absent in records of older runs. */
  items?: { started: number; succeeded: number; failed: number };
}

/** One line of a Map Run's children log; a redriven child appends a newer line for its index. */
export interface ChildRecord {
  index: number;
  executionArn: string;
  status: 'SUCCEEDED' | 'FAILED';
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate: number;
}

const safe = (name: string) => encodeURIComponent(name);

/** Writes each file's newest value, one write at a time per file, via a temporary file. */
class JsonFiles {
  /** Values waiting for their file's next write. */
  private readonly pending = new Map<string, unknown>();
  private readonly chains = new Map<string, Promise<void>>();
  private failure: unknown;

  save(file: string, value: unknown): void {
    const scheduled = this.pending.has(file);
    this.pending.set(file, value);
    if (scheduled) return;
    const write = (this.chains.get(file) ?? Promise.resolve())
      .then(async () => {
        // Saves made in this turn are written once.
        await new Promise((resolve) => setImmediate(resolve));
        const newest = this.pending.get(file);
        this.pending.delete(file);
        await mkdir(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, JSON.stringify(newest));
        await rename(tmp, file);
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      });
    this.chains.set(file, write);
    void write.then(() => {
      if (this.chains.get(file) === write) this.chains.delete(file);
    });
  }

  /** Resolves once every save is written; fails with the first write that failed. */
  async flush(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
    if (this.failure !== undefined) throw this.failure;
  }
}

async function readJsonFiles<T>(dir: string, depth: number, name: string): Promise<T[]> {
  const out: T[] = [];
  const walk = async (d: string, level: number): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (level < depth && e.isDirectory()) await walk(p, level + 1);
      else if (level === depth && e.isFile() && (name === '*' ? e.name.endsWith('.json') : e.name === name))
        out.push(JSON.parse(await readFile(p, 'utf8')) as T);
    }
  };
  await walk(dir, 0);
  return out;
}

export class Store {
  private readonly files = new JsonFiles();
  private readonly logs = new Map<string, Promise<JsonLog>>();

  constructor(readonly dir: string | undefined) {}

  private p(...parts: string[]): string {
    return path.join(this.dir as string, ...parts);
  }

  private executionDir(r: { stateMachineArn: string; name: string }): string {
    const machine = r.stateMachineArn.slice(r.stateMachineArn.lastIndexOf(':') + 1);
    return this.p('executions', safe(machine), safe(r.name));
  }

  private mapRunDir(mapRunArn: string): string {
    return this.p('map-runs', safe(mapRunArn.slice(mapRunArn.lastIndexOf(':') + 1)));
  }

  async load(): Promise<{
    machines: StateMachineRecord[];
    executions: ExecutionRecord[];
    mapRuns: MapRunRecord[];
  }> {
    if (this.dir === undefined) return { machines: [], executions: [], mapRuns: [] };
    const [machines, executions, mapRuns] = await Promise.all([
      readJsonFiles<StateMachineRecord>(this.p('state-machines'), 0, '*'),
      readJsonFiles<ExecutionRecord>(this.p('executions'), 2, 'execution.json'),
      readJsonFiles<MapRunRecord>(this.p('map-runs'), 1, 'map-run.json'),
    ]);
    return { machines, executions, mapRuns };
  }

  saveMachine(r: StateMachineRecord): void {
    if (this.dir !== undefined) this.files.save(this.p('state-machines', `${safe(r.name)}.json`), r);
  }

  async deleteMachine(name: string): Promise<void> {
    if (this.dir === undefined) return;
    await this.files.flush();
    await rm(this.p('state-machines', `${safe(name)}.json`), { force: true });
  }

  saveExecution(r: ExecutionRecord): void {
    if (this.dir !== undefined) this.files.save(path.join(this.executionDir(r), 'execution.json'), r);
  }

  saveMapRun(r: MapRunRecord): void {
    if (this.dir !== undefined) this.files.save(path.join(this.mapRunDir(r.mapRunArn), 'map-run.json'), r);
  }

  private log(key: string, dir: string | undefined, file: string): Promise<JsonLog> {
    let log = this.logs.get(key);
    if (!log) {
      log = (async () => {
        if (dir !== undefined) await mkdir(dir, { recursive: true });
        return JsonLog.open(dir === undefined ? undefined : path.join(dir, file));
      })();
      this.logs.set(key, log);
    }
    return log;
  }

  /** The history of an execution that starts now (nothing to read from disk). */
  newHistory(r: { executionArn: string; stateMachineArn: string; name: string }): JsonLog {
    const log = JsonLog.create(
      this.dir === undefined ? undefined : path.join(this.executionDir(r), 'history.jsonl'),
    );
    this.logs.set(r.executionArn, Promise.resolve(log));
    return log;
  }

  /** The history of an execution (events in the GetExecutionHistory wire shape). */
  history(r: { executionArn: string; stateMachineArn: string; name: string }): Promise<JsonLog> {
    return this.log(
      r.executionArn,
      this.dir === undefined ? undefined : this.executionDir(r),
      'history.jsonl',
    );
  }

  /** The children of a Map Run (`ChildRecord` lines). */
  children(mapRunArn: string): Promise<JsonLog> {
    return this.log(
      mapRunArn,
      this.dir === undefined ? undefined : this.mapRunDir(mapRunArn),
      'children.jsonl',
    );
  }

  /** Writes everything pending. */
  async flush(): Promise<void> {
    await Promise.all([...this.logs.values()].map(async (l) => (await l).flush()));
    await this.files.flush();
  }
}
