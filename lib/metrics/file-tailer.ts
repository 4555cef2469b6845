import fs from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { setImmediate as yieldToLoop } from "node:timers/promises";

const NEWLINE = 10;
const MAX_PARTIAL = 1 << 20;
/** A rotated-away file is read until it has not grown for this long (nginx may write to it until `reopen`). */
const RETIRE_AFTER_MS = 5000;

export type TailerOptions = {
  file: string;
  /** Complete lines, without their newline; called synchronously per chunk read. */
  onLines: (lines: string[]) => void;
  onError?: (error: unknown) => void;
  /** Called after each successful poll with the number of lines it delivered. */
  onPoll?: (lines: number) => void;
  /** Read what is already in the file ("start") or only what is appended from now on ("end", default). */
  from?: "start" | "end";
  pollMs?: number;
  chunkBytes?: number;
};

type Open = { fh: FileHandle; ino: number; offset: number; partial: Buffer | null; grewAt: number };

/**
 * Follows a log file by byte offset across rotation (rename + reopen, or truncation), delivering
 * whole lines only. Polls (fs.watch only wakes it early), reads in chunks and yields to the event
 * loop between them, so a busy log never blocks the process.
 */
export class FileTailer {
  private current: Open | null = null;
  private retired: Open[] = [];
  private timer: NodeJS.Timeout | null = null;
  private watcher: fs.FSWatcher | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;
  private firstOpen = true;
  private readonly buf: Buffer;

  constructor(private readonly opts: TailerOptions) {
    this.buf = Buffer.allocUnsafe(opts.chunkBytes ?? 1 << 20);
  }

  start(): this {
    this.schedule(0);
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    await this.polling;
    for (const o of [...this.retired, ...(this.current ? [this.current] : [])])
      await o.fh.close().catch(() => undefined);
    this.current = null;
    this.retired = [];
  }

  /** One read cycle (also used by tests to drive the tailer deterministically). */
  poll(): Promise<void> {
    this.polling ??= this.cycle().finally(() => (this.polling = null));
    return this.polling;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll().finally(() => this.schedule(this.opts.pollMs ?? 250));
    }, ms);
    this.timer.unref?.();
  }

  private async cycle(): Promise<void> {
    let lines = 0;
    try {
      for (const old of this.retired) lines += await this.drain(old);
      const now = Date.now();
      for (const old of this.retired.filter((o) => now - o.grewAt > RETIRE_AFTER_MS)) {
        this.retired.splice(this.retired.indexOf(old), 1);
        await old.fh.close();
      }
      if (this.current) lines += await this.drain(this.current);
      const st = await statIfExists(this.opts.file, this.current !== null);
      if (!st) {
        // Renamed away and not yet recreated: keep reading the open file until nginx reopens.
        this.opts.onPoll?.(lines);
        return;
      }
      if (!this.current || st.ino !== this.current.ino) {
        if (this.current) this.retired.push(this.current);
        this.current = null;
        const fh = await fs.promises.open(this.opts.file, "r");
        const opened = await fh.stat();
        const fromEnd = this.firstOpen && (this.opts.from ?? "end") === "end";
        this.current = { fh, ino: opened.ino, offset: fromEnd ? opened.size : 0, partial: null, grewAt: Date.now() };
        this.firstOpen = false;
        this.watch();
        lines += await this.drain(this.current);
      }
      this.opts.onPoll?.(lines);
    } catch (error) {
      this.firstOpen = false;
      this.opts.onError?.(error);
    }
  }

  private watch(): void {
    this.watcher?.close();
    try {
      this.watcher = fs.watch(this.opts.file, { persistent: false }, () => {
        if (!this.polling) this.schedule(10);
      });
      this.watcher.on("error", () => this.watcher?.close());
    } catch {
      this.watcher = null; // polling alone still follows the file
    }
  }

  /** Reads everything appended since the last read, chunk by chunk. */
  private async drain(o: Open): Promise<number> {
    const { size } = await o.fh.stat();
    if (size < o.offset) {
      o.offset = 0; // truncated in place (copytruncate)
      o.partial = null;
    }
    let delivered = 0;
    while (o.offset < size && !this.stopped) {
      const { bytesRead } = await o.fh.read(this.buf, 0, Math.min(this.buf.length, size - o.offset), o.offset);
      if (bytesRead === 0) break;
      o.offset += bytesRead;
      o.grewAt = Date.now();
      delivered += this.consume(o, this.buf.subarray(0, bytesRead));
      await yieldToLoop();
    }
    return delivered;
  }

  private consume(o: Open, chunk: Buffer): number {
    const data = o.partial ? Buffer.concat([o.partial, chunk]) : chunk;
    const last = data.lastIndexOf(NEWLINE);
    if (last < 0) {
      o.partial = data.length > MAX_PARTIAL ? null : Buffer.from(data);
      return 0;
    }
    o.partial = last + 1 < data.length ? Buffer.from(data.subarray(last + 1)) : null;
    const lines = data.toString("utf8", 0, last).split("\n");
    this.opts.onLines(lines);
    return lines.length;
  }
}

/** The file's stat; null when it is missing and `tolerateMissing` (a rotation in progress). */
async function statIfExists(file: string, tolerateMissing: boolean): Promise<fs.Stats | null> {
  try {
    return await fs.promises.stat(file);
  } catch (error) {
    if (tolerateMissing && (error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
