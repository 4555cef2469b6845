import { parseAccessLine } from "./parse-access-line";
import { FileTailer } from "./file-tailer";
import { recordError, recordOk } from "./collector-status";
import type { MetricsRecorder } from "./recorder";
import type { Attribution } from "./attribute-upstream";

export type Attribute = (upstreamAddr: string, upstream?: string) => Attribution;

/** Counts access-log lines into per-second buckets; returns how many were in the format. */
export function ingestLines(
  lines: string[],
  attribute: Attribute,
  recorder: MetricsRecorder,
): { parsed: number; rejected: number } {
  let parsed = 0;
  let rejected = 0;
  for (const line of lines) {
    if (line.length === 0) continue;
    const rec = parseAccessLine(line);
    if (!rec) {
      rejected++;
      continue;
    }
    const { service, slot } = attribute(rec.upstreamAddr, rec.upstream);
    recorder.request(service, slot, rec.ts, rec.status, rec.requestTimeMs);
    parsed++;
  }
  return { parsed, rejected };
}

/** Follows nginx's JSON access log into the recorder; failures go to the "accessLog" collector status. */
export function startAccessLogCollector(opts: {
  file: string;
  attribute: Attribute;
  recorder: MetricsRecorder;
  from?: "start" | "end";
  pollMs?: number;
}): { tailer: FileTailer; stop: () => Promise<void>; rejected: () => number } {
  let rejected = 0;
  const tailer = new FileTailer({
    file: opts.file,
    from: opts.from,
    pollMs: opts.pollMs,
    onLines: (lines) => {
      const r = ingestLines(lines, opts.attribute, opts.recorder);
      rejected += r.rejected;
    },
    onPoll: (n) => recordOk("accessLog", n),
    onError: (error) => recordError("accessLog", error),
  }).start();
  return { tailer, stop: () => tailer.stop(), rejected: () => rejected };
}
