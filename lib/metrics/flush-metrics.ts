import type { Db } from "@/lib/db/client";
import type { MetricsRecorder } from "./recorder";
import { writeRollups } from "./rollup-store";
import { toSeriesPoint } from "./summarize";
import { metricsBus, type LivePoint } from "./bus";

/** Writes everything recorded since the last flush in one transaction and announces each stored second. */
export function flushMetrics(db: Db, recorder: MetricsRecorder): LivePoint[] {
  const pending = recorder.drain();
  if (pending.length === 0) return [];
  let stored;
  try {
    stored = writeRollups(db, pending).sort((a, b) => a.ts - b.ts);
  } catch (error) {
    recorder.restore(pending);
    throw error;
  }
  const points = stored.map((r): LivePoint => ({ service: r.service, slot: r.slot, ...toSeriesPoint(r, r.ts, 1) }));
  for (const p of points) metricsBus.emit("point", p);
  return points;
}
