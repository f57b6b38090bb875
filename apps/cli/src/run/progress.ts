/**
 * Live progress of a run: files done / failed / total, throughput and elapsed time. A bar on
 * a terminal (cli-progress), plain lines otherwise (CI logs, pipes).
 */
import cliProgress from 'cli-progress';

export interface ProgressSnapshot {
  total: number;
  done: number;
  failed: number;
  bytes: number;
  elapsedMs: number;
}

export interface ProgressReporter {
  fileFinished(bytes: number, failed: boolean): void;
  stop(): void;
}

export function formatRate(bytes: number, elapsedMs: number): string {
  const mbPerSecond = elapsedMs > 0 ? bytes / 1e6 / (elapsedMs / 1000) : 0;
  return `${mbPerSecond.toFixed(1)} MB/s`;
}

export function formatProgressLine(s: ProgressSnapshot): string {
  const seconds = (s.elapsedMs / 1000).toFixed(1);
  return `files ${s.done + s.failed}/${s.total} (failed ${s.failed}) · ${formatRate(s.bytes, s.elapsedMs)} · ${seconds}s`;
}

export function createProgressReporter(
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
): ProgressReporter {
  const started = now();
  const state: ProgressSnapshot = { total, done: 0, failed: 0, bytes: 0, elapsedMs: 0 };
  const snapshot = (): ProgressSnapshot => ({ ...state, elapsedMs: now() - started });

  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: ' {bar} {value}/{total} files | failed {failed} | {rate} | {elapsed}s',
        hideCursor: true,
        stream,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { failed: 0, rate: formatRate(0, 0), elapsed: '0.0' });
    return {
      fileFinished(bytes, failed) {
        if (failed) state.failed++;
        else state.done++;
        state.bytes += bytes;
        const s = snapshot();
        bar.update(s.done + s.failed, {
          failed: s.failed,
          rate: formatRate(s.bytes, s.elapsedMs),
          elapsed: (s.elapsedMs / 1000).toFixed(1),
        });
      },
      stop: () => bar.stop(),
    };
  }

  // Not a terminal: a line every 10% of the files (and the last one), no control characters.
  const step = Math.max(1, Math.ceil(total / 10));
  return {
    fileFinished(bytes, failed) {
      if (failed) state.failed++;
      else state.done++;
      state.bytes += bytes;
      const finished = state.done + state.failed;
      if (finished % step === 0 || finished === total) stream.write(`${formatProgressLine(snapshot())}\n`);
    },
    stop() {},
  };
}
