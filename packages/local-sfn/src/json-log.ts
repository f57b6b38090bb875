/**
 * An append-only JSON Lines file with an index of where each line starts, so any page of it
 * can be read without reading the rest (an execution history, a Map Run's children). Appends
 * are batched; `flush()` resolves once everything appended is on disk. Without a file the
 * lines stay in memory.
 */
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open, stat, truncate } from 'node:fs/promises';
import path from 'node:path';

export class JsonLog {
  private readonly offsets: number[] = [];
  private size = 0;
  private pending: string[] = [];
  private writing: Promise<void> | undefined;
  private readonly memory: string[] | undefined;
  /** The first write that failed: `flush()` (and so every read) reports it. */
  private failure: unknown;

  private constructor(private readonly file: string | undefined) {
    if (file === undefined) this.memory = [];
  }

  /** A new log on `file` (created, with its folder, on the first write), or in memory without one. */
  static create(file: string | undefined): JsonLog {
    return new JsonLog(file);
  }

  /** A log on `file` (its existing lines are indexed, not kept), or in memory without one. */
  static async open(file: string | undefined): Promise<JsonLog> {
    const log = new JsonLog(file);
    if (file !== undefined) await log.index(file);
    return log;
  }

  private async index(file: string): Promise<void> {
    const exists = await stat(file).then(
      () => true,
      () => false,
    );
    if (!exists) return;
    let position = 0;
    let lineStart = 0;
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
        this.offsets.push(lineStart);
        lineStart = position + i + 1;
      }
      position += chunk.length;
    }
    // A torn last line (the process died mid-write) is cut off so appends stay aligned.
    if (lineStart < position) await truncate(file, lineStart);
    this.size = lineStart;
  }

  get length(): number {
    return this.offsets.length;
  }

  append(value: unknown): void {
    const line = `${JSON.stringify(value)}\n`;
    this.offsets.push(this.size);
    this.size += Buffer.byteLength(line);
    if (this.memory) this.memory.push(line);
    else {
      this.pending.push(line);
      this.writing ??= this.write().catch((error: unknown) => {
        this.failure ??= error;
        this.writing = undefined;
      });
    }
  }

  private async write(): Promise<void> {
    // Let the appends of this turn join one write.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending.join('');
      this.pending = [];
      const file = this.file as string;
      await appendFile(file, batch).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        await mkdir(path.dirname(file), { recursive: true });
        await appendFile(file, batch);
      });
    }
    this.writing = undefined;
  }

  /** Resolves when every appended line is written. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Lines `from` (inclusive) to `to` (exclusive), parsed. */
  async read(from: number, to: number): Promise<unknown[]> {
    const start = Math.max(0, from);
    const end = Math.min(this.offsets.length, to);
    if (end <= start) return [];
    if (this.memory) return this.memory.slice(start, end).map((l) => JSON.parse(l) as unknown);
    await this.flush();
    const first = this.offsets[start] as number;
    const last = end < this.offsets.length ? (this.offsets[end] as number) : this.size;
    const handle = await open(this.file as string, 'r');
    try {
      const buffer = Buffer.alloc(last - first);
      await handle.read(buffer, 0, buffer.length, first);
      const text = buffer.toString('utf8');
      return text
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as unknown);
    } finally {
      await handle.close();
    }
  }

  /** Every line in order, a page at a time. */
  async *entries(pageSize = 1000): AsyncGenerator<unknown> {
    for (let i = 0; i < this.length; i += pageSize) yield* await this.read(i, i + pageSize);
  }
}
