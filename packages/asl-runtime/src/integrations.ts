/**
 * The seams between the interpreter and the outside world. The interpreter core evaluates
 * states; everything that talks to a service (Task resources, ItemReader, ResultWriter) goes
 * through these interfaces so that local handlers, AWS SDK clients and test stubs plug in.
 */

/** A failure in the form Step Functions reports it: `Error` name and `Cause` text. */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    override readonly cause?: string,
  ) {
    super(cause ? `${error}: ${cause}` : error);
    this.name = 'StatesError';
  }
}

export interface TaskContext {
  /** Aborted when the execution stops or the Task's TimeoutSeconds elapses. */
  signal: AbortSignal;
  /** The `Credentials` field of the Task state, evaluated, if any. */
  credentials?: unknown;
  /** The state's name, for error messages. */
  stateName: string;
}

/**
 * Runs a Task `Resource` with its evaluated arguments (`Parameters` / `Arguments`) and returns
 * the raw result (before ResultSelector). Throws `StatesError` with AWS's error name on failure.
 */
export interface TaskInvoker {
  invoke(resource: string, args: unknown, context: TaskContext): Promise<unknown>;
}

/** The evaluated `ItemReader` of a Distributed Map. */
export interface ItemReaderRequest {
  resource: string;
  /** Evaluated `Parameters` / `Arguments`, e.g. `{Bucket, Prefix}` or `{Bucket, Key}`. */
  args: Record<string, unknown>;
  readerConfig?: {
    InputType?: string;
    CSVHeaderLocation?: string;
    CSVHeaders?: string[];
    MaxItems?: number;
    CSVDelimiter?: string;
  };
}

/** Yields the items of a Distributed Map's ItemReader, lazily, so huge listings stay bounded. */
export type ItemReader = (request: ItemReaderRequest, signal: AbortSignal) => AsyncIterable<unknown>;

/** One child execution result as ResultWriter stores it. */
export interface MapRunChildResult {
  ExecutionArn: string;
  Input: string;
  InputDetails: { Included: boolean };
  Name: string;
  Output?: string;
  OutputDetails?: { Included: boolean };
  Error?: string;
  Cause?: string;
  RedriveCount: number;
  RedriveStatus: string;
  StartDate: string;
  StopDate: string;
  Status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  StateMachineArn: string;
}

export interface ResultWriterRequest {
  resource: string;
  /** Evaluated `Parameters` / `Arguments`: `{Bucket, Prefix}`. */
  args: { Bucket: string; Prefix?: string };
  mapRunArn: string;
  results: MapRunChildResult[];
}

/** Writes Distributed Map results and returns `ResultWriterDetails` (`{Bucket, Key}` of manifest.json). */
export type ResultWriter = (request: ResultWriterRequest) => Promise<{ Bucket: string; Key: string }>;

/** Where a streaming ResultWriter receives child results as they finish. */
export interface ResultSink {
  write(result: MapRunChildResult): Promise<void>;
  /** Writes the manifest and returns `ResultWriterDetails`. */
  close(): Promise<{ Bucket: string; Key: string }>;
}

/**
 * The streaming form of ResultWriter: the interpreter hands each child result over as soon as
 * it finishes, so a Map run over many items keeps memory bounded.
 */
export interface StreamingResultWriter {
  open(request: Omit<ResultWriterRequest, 'results'>): Promise<ResultSink>;
}
