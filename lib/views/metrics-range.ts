import type { Db } from "@/lib/db/client";
import { ValidationError } from "@/lib/errors";
import { bucketRange } from "@/lib/metrics/query-window";
import type { SeriesPoint } from "@/lib/metrics/summarize";

const STEPS = [1, 3, 12, 36, 300, 900, 3600] as const;
const MAX_POINTS = 400;
const MAX_RANGE_SECONDS = 30 * 86_400;

export type RangeSeries = { from: number; to: number; stepSeconds: number; series: Record<string, SeriesPoint[]> };

/** The smallest step that keeps a range under MAX_POINTS points per colour. */
export function stepFor(seconds: number): number {
  return STEPS.find((s) => seconds / s <= MAX_POINTS) ?? 3600;
}

/** Chart series of one service over [from, to) epoch seconds (a deployment's watch window, say), blue and green. */
export function queryRange(q: { db: Db; service: string; from: number; to: number }): RangeSeries {
  if (!Number.isFinite(q.from) || !Number.isFinite(q.to) || q.to <= q.from)
    throw new ValidationError("The range needs from < to (epoch seconds).");
  if (q.to - q.from > MAX_RANGE_SECONDS) throw new ValidationError("The range is longer than 30 days.");
  const step = stepFor(q.to - q.from);
  const from = Math.floor(q.from / step) * step;
  const to = Math.ceil(q.to / step) * step;
  const { blue = [], green = [] } = bucketRange(q.db, q.service, from, to, step);
  const series: Record<string, SeriesPoint[]> = { blue, green };
  return { from, to, stepSeconds: step, series };
}
