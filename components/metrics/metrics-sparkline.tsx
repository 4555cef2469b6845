"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { fetchJson } from "@/components/deploy/fetch-json";
import type { MetricsWindow, WindowSeries } from "@/lib/metrics/query-window";
import { CHART_SLOTS, chartRows, currentValue, type MetricKey } from "@/lib/views/metrics-series";
import { useChartPalette } from "./chart-palette";
import { formatValue, METRIC_INFO } from "./format";

// Drawn in the browser only, like the board's panels: Recharts stays out of the server render.
const SparklineChart = dynamic(() => import("./sparkline-chart").then((m) => m.SparklineChart), { ssr: false });

export type MetricsSparklineProps = { service: string; window?: MetricsWindow; height?: number; refreshMs?: number };

const METRICS: readonly MetricKey[] = ["errorRate", "p95Ms"];

/** A compact glance for overview cards: error rate and P95 of both colours over the last minutes, refreshed. */
export function MetricsSparkline({ service, window = "15m", height = 36, refreshMs = 15_000 }: MetricsSparklineProps) {
  const q = useQuery({
    queryKey: ["metrics", service, window, "sparkline"],
    queryFn: () => fetchJson<WindowSeries>(`/api/metrics/${encodeURIComponent(service)}?window=${window}`),
    refetchInterval: refreshMs,
  });
  const palette = useChartPalette();
  const rows = q.data ? chartRows(q.data.series, METRICS) : [];
  return (
    <div className="grid grid-cols-2 gap-3" data-testid={`sparkline-${service}`}>
      {METRICS.map((metric) => {
        const latest = q.data
          ? CHART_SLOTS.map((slot) => ({ slot, v: currentValue(q.data.series, slot, metric) })).filter(
              (x) => x.v !== null,
            )
          : [];
        return (
          <div key={metric} className="min-w-0">
            <div className="flex items-baseline justify-between gap-2 text-xs">
              <span className="text-zinc-400">
                {METRIC_INFO[metric].title} · {window}
              </span>
              <span className="tabular-nums text-zinc-100">
                {latest.length === 0
                  ? "–"
                  : latest.map((x) => (
                      <span key={x.slot} className="ml-1.5" style={{ color: palette.slot[x.slot] }}>
                        {formatValue(metric, x.v)}
                      </span>
                    ))}
              </span>
            </div>
            <div style={{ height }} className={q.isPending ? "animate-pulse rounded bg-zinc-800/60" : undefined}>
              {q.data ? <SparklineChart rows={rows} metric={metric} height={height} /> : null}
            </div>
          </div>
        );
      })}
      {q.error ? <p className="col-span-2 text-xs text-red-300">Metrics unavailable: {q.error.message}</p> : null}
    </div>
  );
}
