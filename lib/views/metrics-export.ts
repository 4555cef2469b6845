import { CHART_SLOTS, chartRows, type MetricKey, type SlotSeries } from "./metrics-series";
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

/** Four decimals are plenty for a spreadsheet and keep 1/12 from printing as 0.08333333333333333. */
const cell = (v: number | null | undefined) => (v === null || v === undefined ? "" : Math.round(v * 1e4) / 1e4);

/**
 * A board's series as CSV: one row per time bucket (`t` its start, ISO 8601 UTC), then each colour's figures
 * (`blue_rps`, …, `green_dbErrorsPerMin`); a bucket without a figure (a quiet second has no latency) is empty.
 */
export function boardCsv(series: SlotSeries): string {
  const header = ["t", ...CHART_SLOTS.flatMap((slot) => EXPORT_METRICS.map((m) => `${slot}_${m}`))];
  const rows = chartRows(series, EXPORT_METRICS).map((row) => [
    new Date(row.t * 1000).toISOString(),
    ...CHART_SLOTS.flatMap((slot) => EXPORT_METRICS.map((m) => cell(row[`${slot}_${m}`]))),
  ]);
  return toCsv(header, rows);
}

/** `greenlight-privatetrade-20261203T1400Z-20261203T1500Z.csv`: the service and the range, safe as a file name. */
export function boardCsvFilename(service: string, from: number, to: number): string {
  const stamp = (s: number) => `${new Date(s * 1000).toISOString().replace(/[-:]/g, "").slice(0, 13)}Z`;
  return `greenlight-${service.replace(/[^\w.-]/g, "_")}-${stamp(from)}-${stamp(to)}.csv`;
}
