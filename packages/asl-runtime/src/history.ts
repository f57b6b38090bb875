/**
 * Execution history in the shape of GetExecutionHistory: every event has `timestamp`, `type`,
 * `id`, `previousEventId` and one `<type>EventDetails` member. Events are streamed to
 * `onEvent` as they happen and, unless disabled, kept for inspection.
 */
import { systemClock, type Clock } from '@logflow/shared-types';

export interface HistoryEvent {
  timestamp: Date;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

export type EventListener = (event: HistoryEvent) => void;

/** `TaskStateEntered` → `stateEnteredEventDetails`, `MapRunStarted` → `mapRunStartedEventDetails`. */
export function detailsKey(type: string): string {
  const stateEvent = /^(Pass|Task|Choice|Wait|Succeed|Fail|Parallel|Map)State(Entered|Exited)$/.exec(type);
  if (stateEvent) return `state${stateEvent[2]}EventDetails`;
  return `${type[0]?.toLowerCase() ?? ''}${type.slice(1)}EventDetails`;
}

export class HistoryRecorder {
  private nextId: number;
  readonly events: HistoryEvent[] = [];

  /** `lastId`: events already recorded elsewhere (a redriven execution continues its ids). */
  constructor(
    private readonly keep: boolean,
    private readonly listener?: EventListener,
    private readonly clock: Clock = systemClock,
    lastId = 0,
  ) {
    this.nextId = lastId + 1;
  }

  /** Whether anyone looks at event details (lets callers skip building them). */
  get observed(): boolean {
    return this.keep || this.listener !== undefined;
  }

  get lastId(): number {
    return this.nextId - 1;
  }

  /**
   * Records an event and returns its id. `details` is a thunk so unobserved runs skip
   * serialising inputs and outputs.
   */
  record(type: string, previousEventId: number, details?: () => Record<string, unknown> | undefined): number {
    const id = this.nextId++;
    if (!this.observed) return id;
    const event: HistoryEvent = { timestamp: this.clock(), type, id, previousEventId };
    const d = details?.();
    if (d !== undefined) event[detailsKey(type)] = d;
    if (this.keep) this.events.push(event);
    this.listener?.(event);
    return id;
  }
}

/** `{truncated: false}` detail objects that accompany payloads in history events. */
export const NOT_TRUNCATED = Object.freeze({ truncated: false });
