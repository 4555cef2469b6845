import { processWide } from "@/lib/process-wide";
import { EventEmitter } from "node:events";
import type { SeriesPoint } from "./summarize";

/** A per-second point as just stored, for live streams. */
export type LivePoint = SeriesPoint & { service: string; slot: string };

/** Emits "point" with a LivePoint for every flushed second; one per process (survives hot reload). */
export const metricsBus: EventEmitter = processWide("metrics-bus", () => new EventEmitter().setMaxListeners(1000));

export function onMetricPoint(listener: (point: LivePoint) => void): () => void {
  metricsBus.on("point", listener);
  return () => metricsBus.off("point", listener);
}
