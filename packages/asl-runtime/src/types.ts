/** The Amazon States Language as this runtime reads it (fields it does not use are allowed). */

export type QueryLanguage = 'JSONPath' | 'JSONata';

export interface StateMachineDefinition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  Comment?: string;
  Version?: string;
  TimeoutSeconds?: number;
  QueryLanguage?: QueryLanguage;
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: unknown;
  Assign?: Record<string, unknown>;
}

export interface ProcessorDefinition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  ProcessorConfig?: { Mode?: 'INLINE' | 'DISTRIBUTED'; ExecutionType?: 'STANDARD' | 'EXPRESS' };
  QueryLanguage?: QueryLanguage;
}

export interface StateDefinition {
  Type: 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';
  Comment?: string;
  QueryLanguage?: QueryLanguage;
  Next?: string;
  End?: boolean;
  InputPath?: string | null;
  OutputPath?: string | null;
  ResultPath?: string | null;
  Parameters?: unknown;
  ResultSelector?: unknown;
  Result?: unknown;
  Arguments?: unknown;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Retry?: Retrier[];
  Catch?: Catcher[];
  // Task
  Resource?: string;
  TimeoutSeconds?: number | string;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number | string;
  HeartbeatSecondsPath?: string;
  Credentials?: unknown;
  // Choice
  Choices?: Record<string, unknown>[];
  Default?: string;
  // Wait
  Seconds?: number | string;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  // Fail
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
  // Parallel
  Branches?: ProcessorDefinition[];
  // Map
  ItemProcessor?: ProcessorDefinition;
  Iterator?: ProcessorDefinition;
  ItemsPath?: string;
  Items?: unknown;
  ItemSelector?: unknown;
  MaxConcurrency?: number | string;
  MaxConcurrencyPath?: string;
  ItemReader?: {
    Resource: string;
    Parameters?: unknown;
    Arguments?: unknown;
    ReaderConfig?: Record<string, unknown>;
  };
  ItemBatcher?: {
    MaxItemsPerBatch?: number | string;
    MaxItemsPerBatchPath?: string;
    MaxInputBytesPerBatch?: number | string;
    MaxInputBytesPerBatchPath?: string;
    BatchInput?: unknown;
  };
  ResultWriter?: {
    Resource?: string;
    Parameters?: unknown;
    Arguments?: unknown;
    WriterConfig?: { OutputType?: string; Transformation?: string };
  };
  ToleratedFailureCount?: number | string;
  ToleratedFailureCountPath?: string;
  ToleratedFailurePercentage?: number | string;
  ToleratedFailurePercentagePath?: string;
  Label?: string;
}
