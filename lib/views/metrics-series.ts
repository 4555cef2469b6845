import type { SeriesPoint } from "@/lib/metrics/summarize";

/** Client-safe: the chart series of both colours, merged live point by point. */
export type SlotSeries = Record<string, SeriesPoint[]>;
export type ChartSlot = "blue" | "green";
export const CHART_SLOTS: readonly ChartSlot[] = ["blue", "green"];

export type MetricKey =
  | "cpuPct"
  | "memMb"
  | "p50Ms"
  | "p95Ms"
  | "p99Ms"
  | "errorRate"
  | "rps"
  | "rpsUnder400"
  | "rps4xx"
  | "rps5xx"
  | "dbErrorsPerMin";

/** The status classes the "Requests by status" panel stacks, bottom first; together they are `rps`. */
export const STATUS_CLASSES = ["rpsUnder400", "rps4xx", "rps5xx"] as const satisfies readonly MetricKey[];
export type StatusClass = (typeof STATUS_CLASSES)[number];

export const emptyPoint = (t: number): SeriesPoint => ({
  t,
  rps: 0,
  rpsUnder400: 0,
  rps4xx: 0,
  rps5xx: 0,
  errorRate: null,
  p50Ms: null,
  p95Ms: null,
  p99Ms: null,
  avgMs: null,
  cpuPct: null,
  memMb: null,
  dbErrorsPerMin: 0,
});

/**
 * Puts one live point (already at the window's step) into its colour's series: a point for a step already shown
 * replaces it (late lines are merged server-side, so the newest figure wins), steps without data in between are
 * filled the way the server fills them, and every colour is trimmed to the window ending at the newest step.
 */
export function mergeLivePoint(
  series: SlotSeries,
  slot: string,
  point: SeriesPoint,
  windowSeconds: number,
  stepSeconds: number,
): SlotSeries {
  const list = [...(series[slot] ?? [])];
  const last = list[list.length - 1];
  if (!last || point.t > last.t) {
    if (last) for (let t = last.t + stepSeconds; t < point.t; t += stepSeconds) list.push(emptyPoint(t));
    list.push(point);
  } else {
    const i = list.findIndex((p) => p.t === point.t);
    if (i >= 0) list[i] = point;
    else if (point.t > last.t - windowSeconds) {
      list.push(point);
      list.sort((a, b) => a.t - b.t);
    }
  }
  const next: SlotSeries = { ...series, [slot]: list };
  const newest = Math.max(...Object.values(next).map((l) => l[l.length - 1]?.t ?? -Infinity));
  const oldest = newest - windowSeconds + stepSeconds;
  for (const key of Object.keys(next)) {
    const l = next[key]!;
    if (l.length > 0 && l[0]!.t < oldest) next[key] = l.filter((p) => p.t >= oldest);
  }
  return next;
}

export type ChartRow = { t: number } & Partial<Record<`${ChartSlot}_${MetricKey}`, number | null>>;

/** One row per step with each colour's figures side by side, the shape Recharts draws overlaid lines from. */
export function chartRows(series: SlotSeries, metrics: readonly MetricKey[]): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  for (const slot of CHART_SLOTS) {
    for (const p of series[slot] ?? []) {
      const row = rows.get(p.t) ?? { t: p.t };
      for (const m of metrics) row[`${slot}_${m}`] = p[m];
      rows.set(p.t, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/**
 * The newest figure of a colour, skipping nulls (a quiet second has no latency); with `span` > 1 the mean of the
 * newest `span` figures, so a rate read per second does not flicker with every step.
 */
export function currentValue(series: SlotSeries, slot: string, metric: MetricKey, span = 1): number | null {
  const list = series[slot] ?? [];
  const values: number[] = [];
  for (let i = list.length - 1; i >= 0 && values.length < span; i--) {
    const v = list[i]![metric];
    if (v !== null) values.push(v);
  }
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Whether any colour saw a request or a Docker sample in the window. */
export function hasData(series: SlotSeries): boolean {
  return Object.values(series).some((l) => l.some((p) => p.rps > 0 || p.cpuPct !== null || p.memMb !== null));
}

export type LegendFigures = { last: number | null; min: number | null; max: number | null; mean: number | null };

/**
 * A panel legend's figures for one colour over the shown range [from, to], as a Grafana legend gives them: the
 * newest, lowest, highest and mean value, steps without a figure (null) left out; all null when there is none.
 */
export function legendFigures(
  series: SlotSeries,
  slot: string,
  metric: MetricKey,
  [from, to]: readonly [number, number],
): LegendFigures {
  let last: number | null = null;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const p of series[slot] ?? []) {
    const v = p[metric];
    if (p.t < from || p.t > to || v === null || !Number.isFinite(v)) continue;
    last = v;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    n++;
  }
  return n === 0 ? { last: null, min: null, max: null, mean: null } : { last, min, max, mean: sum / n };
}

/** Which colours the status panel stacks: one of them, or both summed. */
export type StatusScope = ChartSlot | "both";

/**
 * The status panel's series: per step the requests/s of each status class of one colour, or of both colours added
 * (a step one colour lacks counts as zero for it), keyed "status" so the legend math reads it like a colour's.
 */
export function statusSeries(series: SlotSeries, scope: StatusScope): SlotSeries {
  const slots = scope === "both" ? CHART_SLOTS : [scope];
  const steps = new Map<number, SeriesPoint>();
  for (const slot of slots) {
    for (const p of series[slot] ?? []) {
      const sum = steps.get(p.t) ?? emptyPoint(p.t);
      sum.rps += p.rps;
      for (const c of STATUS_CLASSES) sum[c] += p[c];
      steps.set(p.t, sum);
    }
  }
  return { status: [...steps.values()].sort((a, b) => a.t - b.t) };
}

export type StatusRow = { t: number } & Record<StatusClass, number>;

/** One row per step with the three classes' requests/s, the shape a stacked Recharts area chart draws. */
export function statusRows(status: SlotSeries): StatusRow[] {
  return (status.status ?? []).map((p) => ({ t: p.t, rpsUnder400: p.rpsUnder400, rps4xx: p.rps4xx, rps5xx: p.rps5xx }));
}
