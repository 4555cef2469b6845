"use client";

import type { MetricsWindow, WindowSeries } from "@/lib/metrics/query-window";
import type { ChartMarker } from "@/lib/views/metrics-markers";
import { chartRows, hasData, type MetricKey } from "@/lib/views/metrics-series";
import { LATENCY_COMPANIONS, MetricPanel } from "./metric-panel";
import { SlotLegend } from "./slot-legend";
import { useMetricsSeries } from "./use-metrics-series";
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
};

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
}: MetricsBoardProps) {
  const { data, stream, error } = useMetricsSeries(service, window, initial);
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
    <div className="space-y-3" data-testid="metrics-board" data-window={window}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <WindowPicker value={window} />
          {data && !hasData(data.series) ? (
            <span
              className="text-sm text-zinc-400"
              data-testid="metrics-empty"
              title="The charts fill in as nginx serves requests and Docker reports the containers"
            >
              No traffic yet in the last {window}
            </span>
          ) : null}
        </div>
        <div className="flex items-center gap-4 text-xs text-zinc-400">
          <SlotLegend />
          <span data-testid="metrics-stream" data-state={stream}>
            {stream === "live" ? "● live" : stream === "polling" ? `refreshes every ${REFRESH_LABEL[window]}` : stream}
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
      </div>
    </div>
  );
}
