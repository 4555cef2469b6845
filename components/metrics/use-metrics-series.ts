"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { fetchJson } from "@/components/deploy/fetch-json";
import { useEventSource, type StreamState } from "@/components/deploy/use-event-source";
import type { MetricsWindow, WindowSeries } from "@/lib/metrics/query-window";
import { mergeLivePoint } from "@/lib/views/metrics-series";
import type { MetricsMessage } from "@/lib/views/metrics-stream";
import type { RangeSeries } from "@/lib/views/metrics-range";
import { LIVE_WINDOWS } from "@/lib/views/metrics-window-names";

const WINDOW_SECONDS: Record<MetricsWindow, number> = {
  "5m": 300,
  "15m": 900,
  "1h": 3600,
  "3h": 10_800,
  "24h": 86_400,
  "72h": 259_200,
};
const REFRESH_MS: Record<MetricsWindow, number> = {
  "5m": 0,
  "15m": 0,
  "1h": 15_000,
  "3h": 30_000,
  "24h": 60_000,
  "72h": 300_000,
};

export type MetricsSeriesState = { data: WindowSeries | null; stream: StreamState | "polling"; error: string | null };

/** A service's series for a window: followed live over the stream for short windows, re-read now and then otherwise. */
export function useMetricsSeries(
  service: string,
  window: MetricsWindow,
  initial: WindowSeries | null,
  /** While the board shows a fixed range instead, nothing is followed. */
  paused = false,
): MetricsSeriesState {
  const live = !paused && LIVE_WINDOWS.includes(window);
  const [streamed, setData] = useState<WindowSeries | null>(initial?.window === window ? initial : null);
  const [problem, setProblem] = useState<string | null>(null);
  // A series for another window (the picker just changed) is never shown: the server's initial one, or nothing yet.
  const data = streamed?.window === window ? streamed : initial?.window === window ? initial : null;

  const onMessage = useCallback(
    (m: MetricsMessage) => {
      setProblem(null);
      if (m.type === "window") setData(m.data);
      else
        setData((d) => {
          if (!d || d.window !== window) return d;
          const series = mergeLivePoint(d.series, m.slot, m.point, WINDOW_SECONDS[window], d.stepSeconds);
          const to = Math.max(d.to, m.point.t + d.stepSeconds);
          return { ...d, series, to, from: to - WINDOW_SECONDS[window] };
        });
    },
    [window],
  );
  const stream = useEventSource<MetricsMessage>(
    live ? `/api/metrics/${encodeURIComponent(service)}/stream?window=${window}` : null,
    onMessage,
    setProblem,
  );

  const query = useQuery({
    queryKey: ["metrics", service, window],
    queryFn: () => fetchJson<WindowSeries>(`/api/metrics/${encodeURIComponent(service)}?window=${window}`),
    enabled: !live && !paused,
    initialData: !live && initial?.window === window ? initial : undefined,
    refetchInterval: REFRESH_MS[window] || false,
  });

  if (!live) return { data: query.data ?? null, stream: "polling", error: query.error ? query.error.message : null };
  return { data, stream, error: problem };
}

export type RangeSeriesState = { data: RangeSeries | null; error: string | null };

/** A fixed range of a service (a zoom, an absolute from/to): read once, nothing live. */
export function useRangeSeries(
  service: string,
  range: { from: number; to: number } | null,
  initial: RangeSeries | null,
): RangeSeriesState {
  const query = useQuery({
    queryKey: ["metrics-range", service, range?.from, range?.to],
    queryFn: () =>
      fetchJson<RangeSeries>(`/api/metrics/${encodeURIComponent(service)}?from=${range!.from}&to=${range!.to}`),
    enabled: range !== null,
    initialData:
      range !== null && initial && initial.from <= range.from && initial.to >= range.to ? initial : undefined,
  });
  return { data: range === null ? null : (query.data ?? null), error: query.error ? query.error.message : null };
}
