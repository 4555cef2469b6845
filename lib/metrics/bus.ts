import { EventEmitter } from "node:events";
import type { SeriesPoint } from "./summarize";

/** A per-second point as just stored, for live streams. */
export type LivePoint = SeriesPoint & { service: string; slot: string };

const globalForBus = globalThis as unknown as { __greenlightMetricsBus?: EventEmitter };

/** Emits "point" with a LivePoint for every flushed second; one per process (survives hot reload). */
export const metricsBus: EventEmitter = (globalForBus.__greenlightMetricsBus ??= new EventEmitter().setMaxListeners(
  1000,
));

export function onMetricPoint(listener: (point: LivePoint) => void): () => void {
  metricsBus.on("point", listener);
  return () => metricsBus.off("point", listener);
}
