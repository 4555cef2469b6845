"use client";

import { usePathname, useRouter } from "next/navigation";
import { useRef } from "react";
import type { MetricsWindow, WindowSeries } from "@/lib/metrics/query-window";
import type { RangeSeries } from "@/lib/views/metrics-range";
import type { ChartMarker } from "@/lib/views/metrics-markers";
import { chartRows, hasData, type MetricKey } from "@/lib/views/metrics-series";
import { LATENCY_COMPANIONS, MetricPanel } from "./metric-panel";
import { SlotLegend } from "./slot-legend";
import { StatusPanel } from "./status-panel";
import { RangePicker } from "./range-picker";
import { useMetricsSeries, useRangeSeries } from "./use-metrics-series";
import { WindowPicker } from "./window-picker";

export type BoardThresholds = { p95Ms: number; errorRatePercent: number; memoryMb: number; dbErrorsPerMinute?: number };

export type MetricsBoardProps = {
  service: string;
  window: MetricsWindow;
  /** The window as the server read it, so the first paint has charts; the board follows it live from there. */
  initial?: WindowSeries | null;
  thresholds: BoardThresholds;
  markers?: readonly ChartMarker[];
  live?: "blue" | "green" | null;
  /** A fixed range (epoch seconds) instead of the window ending now: a zoom, or an absolute from/to. */
  range?: { from: number; to: number } | null;
  initialRange?: RangeSeries | null;
};

type Range = { from: number; to: number };
const rangeHref = (pathname: string, window: MetricsWindow, r: Range | null) =>
  `${pathname}?window=${window}${r ? `&from=${r.from}&to=${r.to}` : ""}`;

/** The export of what the board shows: the window ending now, or the fixed range. */
const exportHref = (service: string, window: MetricsWindow, r: Range | null) =>
  `/api/metrics/${encodeURIComponent(service)}/export?${r ? `from=${r.from}&to=${r.to}` : `window=${window}`}`;
const utc = (s: number) => `${new Date(s * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;

const PANELS: readonly MetricKey[] = ["rps", "errorRate", "p95Ms", "cpuPct", "memMb", "dbErrorsPerMin"];
const PANEL_HEIGHT = 180;
const REFRESH_LABEL: Record<MetricsWindow, string> = {
  "5m": "second",
  "15m": "second",
  "1h": "15 s",
  "3h": "30 s",
  "24h": "minute",
  "72h": "5 min",
};

/** A Grafana-like board of one service: both colours overlaid per metric, thresholds, deployment markers, a time range in the URL. */
export function MetricsBoard({
  service,
  window,
  initial = null,
  thresholds,
  markers = [],
  live = null,
  range = null,
  initialRange = null,
}: MetricsBoardProps) {
  const router = useRouter();
  const pathname = usePathname();
  // The ranges zoomed from, newest last: "back" returns to each in turn, then to the window.
  const previous = useRef<Array<Range | null>>([]);
  const windowed = useMetricsSeries(service, window, initial, range !== null);
  const fixed = useRangeSeries(service, range, initialRange);
  const data = range ? fixed.data : windowed.data;
  const error = range ? fixed.error : windowed.error;
  const stream = windowed.stream;
  const go = (r: Range | null) => router.push(rangeHref(pathname, window, r), { scroll: false });
  const zoom = (from: number, to: number) => {
    previous.current.push(range);
    go({ from, to });
  };
  const back = () => go(previous.current.pop() ?? null);
  const rows = data ? chartRows(data.series, [...PANELS, ...LATENCY_COMPANIONS]) : [];
  const domain: [number, number] = data ? [data.from, data.to] : [0, 1];
  const shown = data ? markers.filter((m) => m.t >= data.from && m.t <= data.to) : [];
  const thresholdOf: Partial<Record<MetricKey, number>> = {
    p95Ms: thresholds.p95Ms,
    errorRate: thresholds.errorRatePercent,
    memMb: thresholds.memoryMb,
    dbErrorsPerMin: thresholds.dbErrorsPerMinute,
  };
  const span = data && data.stepSeconds === 1 ? 5 : 1;
  return (
    <div
      className="space-y-3"
      data-testid="metrics-board"
      data-window={window}
      data-from={data?.from}
      data-to={data?.to}
      title="Drag across a chart to zoom every panel to that span"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <WindowPicker value={range ? null : window} />
          <RangePicker
            key={data ? `${data.from}-${data.to}` : "none"}
            from={data?.from ?? 0}
            to={data?.to ?? 0}
            onApply={zoom}
          />
          {range ? (
            <button
              type="button"
              onClick={back}
              className="rounded-md border border-zinc-800 bg-zinc-900 px-2.5 py-1 text-xs text-zinc-300 hover:bg-zinc-800"
            >
              ← Back
            </button>
          ) : null}
          {range && fixed.data?.resolution === "minute" ? (
            <span className="text-xs text-amber-300" data-testid="metrics-resolution">
              per-minute figures: per-second data is kept for 72 h
            </span>
          ) : null}
          {data && !hasData(data.series) ? (
            <span
              className="text-sm text-zinc-400"
              data-testid="metrics-empty"
              title="The charts fill in as nginx serves requests and Docker reports the containers"
            >
              {range ? "No traffic in this range" : `No traffic yet in the last ${window}`}
            </span>
          ) : null}
        </div>
        <div className="flex items-center gap-4 text-xs text-zinc-400">
          <a
            href={exportHref(service, window, range)}
            download
            data-testid="metrics-export-csv"
            title="Download the shown range as CSV: one row per time bucket, each colour's figures in columns"
            className="rounded-md border border-zinc-800 bg-zinc-900 px-2.5 py-1 text-zinc-300 hover:bg-zinc-800"
          >
            Export CSV
          </a>
          <SlotLegend />
          <span data-testid="metrics-stream" data-state={range ? "fixed" : stream}>
            {range
              ? "fixed range"
              : stream === "live"
                ? "● live"
                : stream === "polling"
                  ? `refreshes every ${REFRESH_LABEL[window]}`
                  : stream}
          </span>
        </div>
      </div>
      {error ? (
        <p role="alert" className="rounded-md border border-red-800 bg-red-950/60 px-3 py-2 text-sm text-red-200">
          Metrics unavailable: {error}
        </p>
      ) : null}
      <div className="grid gap-3 lg:grid-cols-2">
        {PANELS.map((metric) =>
          data ? (
            <MetricPanel
              key={metric}
              metric={metric}
              rows={rows}
              series={data.series}
              domain={domain}
              threshold={thresholdOf[metric] ?? null}
              markers={shown}
              height={PANEL_HEIGHT}
              currentSpan={metric === "rps" ? span : 1}
              live={live}
              syncId="metrics-board"
              companions={metric === "p95Ms" ? LATENCY_COMPANIONS : undefined}
              onZoom={zoom}
              png={{
                name: `greenlight-${service}-${metric}-${data.from}-${data.to}`,
                caption: `${service} · ${utc(data.from)} – ${utc(data.to)}`,
              }}
            />
          ) : (
            <div
              key={metric}
              className="animate-pulse rounded-lg border border-zinc-800 bg-zinc-900/60"
              style={{ height: PANEL_HEIGHT + 46 }}
              aria-busy="true"
              aria-label="Loading metrics"
            />
          ),
        )}
        {data ? (
          <StatusPanel
            series={data.series}
            domain={domain}
            markers={shown}
            height={PANEL_HEIGHT}
            currentSpan={span}
            live={live}
            syncId="metrics-board"
            onZoom={zoom}
          />
        ) : null}
      </div>
    </div>
  );
}
