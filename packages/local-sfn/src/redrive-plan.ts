/**
 * Where a redrive resumes, read from the earlier attempt's history as AWS does: the top-level
 * state that has a `<Type>StateEntered` event but no `<Type>StateExited`, with the input it was
 * entered with and the variables assigned before it; and, if it is a Distributed Map, its Map Run.
 */

/** A history event as stored (the GetExecutionHistory wire shape). */
export interface WireEvent {
  id: number;
  type: string;
  previousEventId: number;
  timestamp: number;
  [details: string]: unknown;
}

export interface ResumePoint {
  /** Undefined when no state was entered (the run resumes at StartAt with the execution input). */
  state?: { name: string; input: unknown };
  variables: Record<string, unknown>;
  lastEventId: number;
  /** The Map Run the resumed state started, if it is a Distributed Map. */
  mapRunArn?: string;
}

const OPENS = /^(Map|Parallel)StateStarted$/;
const CLOSES = /^(Map|Parallel)State(Succeeded|Failed|Aborted)$/;
const ENTERED = /StateEntered$/;
const EXITED = /StateExited$/;

/** Reads a history once, in order; holds only the current top-level state and the variables. */
export async function resumePoint(events: AsyncIterable<unknown>): Promise<ResumePoint> {
  // Events of Parallel branches and Map iterations sit between their state's Started and
  // Succeeded/Failed events; the top level is depth 0.
  let depth = 0;
  let open: { name: string; input: unknown; mapRunArn?: string } | undefined;
  const variables: Record<string, unknown> = {};
  let lastEventId = 0;
  for await (const raw of events) {
    const e = raw as WireEvent;
    lastEventId = Math.max(lastEventId, e.id);
    if (OPENS.test(e.type)) depth++;
    else if (CLOSES.test(e.type)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && ENTERED.test(e.type)) {
      const d = e.stateEnteredEventDetails as { name: string; input?: string };
      open = { name: d.name, input: d.input === undefined ? null : JSON.parse(d.input) };
    } else if (depth === 0 && EXITED.test(e.type)) {
      const d = e.stateExitedEventDetails as { assignedVariables?: Record<string, string> };
      for (const [k, v] of Object.entries(d.assignedVariables ?? {})) variables[k] = JSON.parse(v);
      open = undefined;
    } else if (depth === 1 && open && (e.type === 'MapRunStarted' || e.type === 'MapRunRedriven')) {
      const d = (e.mapRunStartedEventDetails ?? e.mapRunRedrivenEventDetails) as { mapRunArn: string };
      open.mapRunArn = d.mapRunArn;
    }
  }
  return {
    ...(open ? { state: { name: open.name, input: open.input } } : {}),
    variables,
    lastEventId,
    ...(open?.mapRunArn ? { mapRunArn: open.mapRunArn } : {}),
  };
}
