import type { Db } from "@/lib/db/client";
import { ValidationError } from "@/lib/errors";
import { readRollups } from "./rollup-store";
import { bucketSeries, type SeriesPoint } from "./summarize";
import { rolledUntil } from "./compact-metrics";
import type { Rollup } from "./rollup";
import { readSettled, SETTLE_SECONDS, storeSettled } from "./settled-cache";

/** Chart windows and their step: about 300 points each, from per-minute rollups from 24 h up. */
export const WINDOWS = {
  "5m": { seconds: 300, step: 1 },
  "15m": { seconds: 900, step: 3 },
  "1h": { seconds: 3600, step: 12 },
  "3h": { seconds: 10_800, step: 36 },
  "24h": { seconds: 86_400, step: 300 },
  "72h": { seconds: 259_200, step: 900 },
} as const;
export type MetricsWindow = keyof typeof WINDOWS;

export type WindowSeries = {
  window: MetricsWindow;
  stepSeconds: number;
  from: number;
  to: number;
  /** Per colour ("blue", "green", and "unknown" when nginx answered failures itself). */
  series: Record<string, SeriesPoint[]>;
};

/**
 * The chart series of one service over a window ending now (epoch seconds, default the clock). Buckets that ended
 * more than SETTLE_SECONDS ago are taken from the last answer for the same window (settled-cache.ts says when
 * that is safe), so a 72 h board asked again reads only its newest buckets.
 */
export function queryWindow(q: { db: Db; service: string; window: MetricsWindow; now?: number }): WindowSeries {
  const spec = WINDOWS[q.window];
  if (!spec) throw new ValidationError(`Unknown metrics window: ${String(q.window)}`);
  const now = Math.floor(q.now ?? Date.now() / 1000);
  const step = spec.step;
  const to = Math.ceil((now + 1) / step) * step;
  const from = to - spec.seconds;
  const settled = Math.max(from, Math.floor((now - SETTLE_SECONDS) / step) * step);
  const key = `window\u0000${q.service}\u0000${q.window}`;
  const cached = readSettled<Record<string, SeriesPoint[]>>(q.db, key);
  const reuseUntil = cached && cached.cover.from <= from ? Math.min(Math.max(cached.cover.to, from), settled) : from;
  const fresh = bucketRange(q.db, q.service, reuseUntil, to, step, [
    "blue",
    "green",
    ...Object.keys(cached?.value ?? {}),
  ]);
  const series: Record<string, SeriesPoint[]> = {};
  for (const [slot, points] of Object.entries(fresh)) {
    const head = cached?.value[slot]?.filter((p) => p.t >= from && p.t < reuseUntil);
    series[slot] = [...(head ?? bucketSeries([], from, reuseUntil, step)), ...points];
  }
  const keep = Object.fromEntries(
    Object.entries(series).map(([slot, points]) => [slot, points.filter((p) => p.t < settled)]),
  );
  storeSettled(q.db, key, { from, to: settled }, keep);
  return { window: q.window, stepSeconds: step, from, to, series };
}

/** How much of a range is read at once: a day of per-second rows is 170,000 rollups, an hour a few thousand. */
const CHUNK_SECONDS = 3600;

/** [from, to) in consecutive pieces of about `CHUNK_SECONDS`, each a whole number of `step`s. */
export function* rangeChunks(from: number, to: number, step = 1): Generator<[number, number]> {
  const size = Math.max(1, Math.round(CHUNK_SECONDS / step)) * step;
  for (let a = from; a < to; a += size) yield [a, Math.min(to, a + size)];
}

/**
 * Per colour, the series of [from, to) in `step`-second buckets (`from` a multiple of `step`). Read an hour at a
 * time, so a long range never holds all its rollups at once; every colour given or seen gets every bucket.
 */
export function bucketRange(
  db: Db,
  service: string,
  from: number,
  to: number,
  step: number,
  slots: readonly string[] = ["blue", "green"],
): Record<string, SeriesPoint[]> {
  const chunks: Array<{ from: number; to: number; bySlot: Map<string, SeriesPoint[]> }> = [];
  const seen = new Set(slots);
  for (const [a, b] of rangeChunks(from, to, step)) {
    const rollups = new Map<string, Rollup[]>();
    for (const r of loadRange(db, service, a, b, step >= 60)) {
      const list = rollups.get(r.slot) ?? [];
      list.push(r);
      rollups.set(r.slot, list);
      seen.add(r.slot);
    }
    chunks.push({
      from: a,
      to: b,
      bySlot: new Map([...rollups].map(([slot, list]) => [slot, bucketSeries(list, a, b, step)])),
    });
  }
  return Object.fromEntries(
    [...seen].map((slot) => [slot, chunks.flatMap((c) => c.bySlot.get(slot) ?? bucketSeries([], c.from, c.to, step))]),
  );
}

/** Rollups in [from, to): per-minute rows where they exist (when allowed), per-second rows after. */
export function loadRange(db: Db, service: string, from: number, to: number, useMinutes: boolean): Rollup[] {
  if (!useMinutes) return readRollups(db, { service, from, to });
  const split = Math.min(Math.max(rolledUntil(db), from), to);
  return [
    ...readRollups(db, { service, from, to: split, table: "metric_minutes" }),
    ...readRollups(db, { service, from: split, to }),
  ];
}
