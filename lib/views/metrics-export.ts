import { CHART_SLOTS, chartRows, STATUS_CLASSES, type MetricKey, type SlotSeries } from "./metrics-series";
import { toCsv } from "./metrics-report-format";

/** The figures a board export carries per colour, in column order. */
export const EXPORT_METRICS: readonly MetricKey[] = [
  "rps",
  "errorRate",
  "p50Ms",
  "p95Ms",
  "p99Ms",
  "cpuPct",
  "memMb",
  "dbErrorsPerMin",
];

/** Requests per bucket by status class, after each colour's figures: the counts the status panel stacks as rates. */
export const EXPORT_COUNTS = ["count2xx3xx", "count4xx", "count5xx"] as const;
const COUNT_OF: Record<(typeof EXPORT_COUNTS)[number], (typeof STATUS_CLASSES)[number]> = {
  count2xx3xx: "rpsUnder400",
  count4xx: "rps4xx",
  count5xx: "rps5xx",
};

/** Four decimals are plenty for a spreadsheet and keep 1/12 from printing as 0.08333333333333333. */
const cell = (v: number | null | undefined) => (v === null || v === undefined ? "" : Math.round(v * 1e4) / 1e4);

/**
 * A board's series as CSV: one row per time bucket of `stepSeconds` (`t` its start, ISO 8601 UTC), then each
 * colour's figures (`blue_rps`, …, `blue_dbErrorsPerMin`) and its requests in the bucket by status class
 * (`blue_count2xx3xx`: every answer below 400, `blue_count4xx`, `blue_count5xx`); a bucket without a figure (a quiet
 * second has no latency) is empty, and a colour without the bucket has no counts either.
 */
export function boardCsv(series: SlotSeries, stepSeconds: number): string {
  const columns = [...EXPORT_METRICS, ...EXPORT_COUNTS];
  const header = ["t", ...CHART_SLOTS.flatMap((slot) => columns.map((m) => `${slot}_${m}`))];
  const metrics = [...EXPORT_METRICS, ...STATUS_CLASSES];
  const rows = chartRows(series, metrics).map((row) => [
    new Date(row.t * 1000).toISOString(),
    ...CHART_SLOTS.flatMap((slot) => [
      ...EXPORT_METRICS.map((m) => cell(row[`${slot}_${m}`])),
      ...EXPORT_COUNTS.map((c) => {
        const rate = row[`${slot}_${COUNT_OF[c]}`];
        return rate === null || rate === undefined ? "" : Math.round(rate * stepSeconds);
      }),
    ]),
  ]);
  return toCsv(header, rows);
}

/** `greenlight-privatetrade-20261203T1400Z-20261203T1500Z.csv`: the service and the range, safe as a file name. */
export function boardCsvFilename(service: string, from: number, to: number): string {
  const stamp = (s: number) => `${new Date(s * 1000).toISOString().replace(/[-:]/g, "").slice(0, 13)}Z`;
  return `greenlight-${service.replace(/[^\w.-]/g, "_")}-${stamp(from)}-${stamp(to)}.csv`;
}
