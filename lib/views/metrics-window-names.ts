import type { MetricsWindow } from "@/lib/metrics/query-window";

/** Client-safe: the chart windows in picker order, and which of them follow the live stream. */
export const WINDOW_NAMES: readonly MetricsWindow[] = ["5m", "15m", "1h", "3h", "24h", "72h"];
export const LIVE_WINDOWS: readonly MetricsWindow[] = ["5m", "15m"];
export const DEFAULT_WINDOW: MetricsWindow = "15m";
