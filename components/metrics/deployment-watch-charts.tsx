"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/deploy/fetch-json";
import type { ChartMarker } from "@/lib/views/metrics-markers";
import type { RangeSeries } from "@/lib/views/metrics-range";
import { chartRows, hasData, type MetricKey } from "@/lib/views/metrics-series";
import type { BoardThresholds } from "./metrics-board";
import { LATENCY_COMPANIONS, MetricPanel } from "./metric-panel";
import { SlotLegend } from "./slot-legend";

export type DeploymentWatchChartsProps = {
  service: string;
  /** Epoch milliseconds, like the deployment record (e.g. switchedAt - 60 s); `to` null while the watch is running. */
  from: number;
  to: number | null;
  markers?: readonly ChartMarker[];
  thresholds?: Partial<BoardThresholds>;
};

/** Every metric a rollback trigger judges, then the load and CPU that explain them. */
const PANELS: readonly MetricKey[] = ["errorRate", "p95Ms", "memMb", "dbErrorsPerMin", "rps", "cpuPct"];

/** The watch window of a deployment: both colours over its time range, refreshed every few seconds until it ends. */
export function DeploymentWatchCharts({
  service,
  from,
  to,
  markers = [],
  thresholds = {},
}: DeploymentWatchChartsProps) {
  const fromS = Math.floor(from / 1000);
  const q = useQuery({
    queryKey: ["metrics-range", service, fromS, to],
    queryFn: () =>
      fetchJson<RangeSeries>(
        `/api/metrics/${encodeURIComponent(service)}?from=${fromS}${to === null ? "" : `&to=${Math.ceil(to / 1000)}`}`,
      ),
    refetchInterval: to === null ? 3_000 : false,
  });
  const data = q.data;
  const rows = data ? chartRows(data.series, [...PANELS, ...LATENCY_COMPANIONS]) : [];
  const thresholdOf: Partial<Record<MetricKey, number | undefined>> = {
    p95Ms: thresholds.p95Ms,
    errorRate: thresholds.errorRatePercent,
    memMb: thresholds.memoryMb,
    dbErrorsPerMin: thresholds.dbErrorsPerMinute,
  };
  return (
    <div className="space-y-2" data-testid="deployment-watch-charts">
      <div className="flex items-center justify-between text-xs text-zinc-400">
        <SlotLegend />
        {data ? <span>{data.stepSeconds} s per point</span> : null}
      </div>
      {q.error ? <p className="text-sm text-red-300">Metrics unavailable: {q.error.message}</p> : null}
      {data && !hasData(data.series) ? (
        <p className="text-sm text-zinc-400">No traffic was measured in this window.</p>
      ) : null}
      <div className="grid gap-3 md:grid-cols-2">
        {PANELS.map((metric) =>
          data ? (
            <MetricPanel
              key={metric}
              metric={metric}
              rows={rows}
              series={data.series}
              domain={[data.from, data.to]}
              threshold={thresholdOf[metric] ?? null}
              markers={markers}
              height={140}
              syncId="deployment-watch"
              companions={metric === "p95Ms" ? LATENCY_COMPANIONS : undefined}
            />
          ) : (
            <div
              key={metric}
              className="h-[186px] animate-pulse rounded-lg border border-zinc-800 bg-zinc-900/60"
              aria-busy="true"
            />
          ),
        )}
      </div>
    </div>
  );
}
