import { processWide } from "@/lib/process-wide";
import type { Db } from "@/lib/db/client";
import { onMetricPoint, type LivePoint } from "@/lib/metrics/bus";
import { queryWindow, WINDOWS, type MetricsWindow, type WindowSeries } from "@/lib/metrics/query-window";
import { readRollups } from "@/lib/metrics/rollup-store";
import { bucketSeries, type SeriesPoint } from "@/lib/metrics/summarize";
import { eventStreamResponse } from "./sse";
import type { StreamGuardOptions } from "./stream-guard";

export type MetricsMessage =
  { type: "window"; data: WindowSeries } | { type: "point"; slot: string; point: SeriesPoint };

const WINDOW_TTL_MS = 1_000;

/**
 * The opening frame of a stream, shared by every viewer that opens the same service and window within a second:
 * a console with many pages open reads and serialises the window once, not once a page.
 */
function windowFrame(db: Db, service: string, window: MetricsWindow, now = Date.now()): string {
  const cache = processWide("window-frames", () => new Map<string, { at: number; frame: string }>());
  const key = `${service}\u0000${window}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < WINDOW_TTL_MS) return hit.frame;
  const frame = `data: ${JSON.stringify({ type: "window", data: queryWindow({ db, service, window }) } satisfies MetricsMessage)}\n\n`;
  cache.set(key, { at: now, frame });
  return frame;
}

/** Each flushed point is serialised once per step size, however many streams carry it. */
const pointFrames = new WeakMap<LivePoint, Map<number, string>>();
function pointFrame(db: Db, live: LivePoint, step: number): string {
  let bySize = pointFrames.get(live);
  if (!bySize) pointFrames.set(live, (bySize = new Map()));
  let frame = bySize.get(step);
  if (frame === undefined) {
    frame = `data: ${JSON.stringify({ type: "point", slot: live.slot, point: pointAtStep(db, live, step) } satisfies MetricsMessage)}\n\n`;
    bySize.set(step, frame);
  }
  return frame;
}

/** A second's point at the window's step: as flushed for per-second windows, else its whole step re-read from the store. */
export function pointAtStep(db: Db, live: LivePoint, stepSeconds: number): SeriesPoint {
  const { service, slot, ...point } = live;
  if (stepSeconds === 1) return point;
  const from = Math.floor(live.t / stepSeconds) * stepSeconds;
  const rollups = readRollups(db, { service, from, to: from + stepSeconds }).filter((r) => r.slot === slot);
  return bucketSeries(rollups, from, from + stepSeconds, stepSeconds)[0] ?? point;
}

/**
 * Server-Sent Events of one service's metrics: the whole window first, then every stored point of the service as
 * it is flushed, with heartbeat comments that re-run `authorize`. Callers authenticate and check the service before calling this.
 */
export function metricsStreamResponse(
  opts: { db: Db; service: string; window: MetricsWindow; signal: AbortSignal } & StreamGuardOptions,
): Response {
  const { db, service, window, ...options } = opts;
  const step = WINDOWS[window].step;
  return eventStreamResponse(options, (stream) => {
    const unsubscribe = onMetricPoint((live) => {
      if (live.service !== service) return;
      try {
        stream.write(pointFrame(db, live, step));
      } catch (error) {
        stream.problem(error, "metrics stream failed");
      }
    });
    try {
      stream.write(windowFrame(db, service, window));
    } catch (error) {
      stream.problem(error, "metrics stream failed");
    }
    return unsubscribe;
  });
}
