"use client";

import { useShownTheme } from "@/components/use-shown-theme";
import type { Theme } from "@/components/theme-cookie";

export type ChartPalette = {
  slot: { blue: string; green: string };
  marker: { switch: string; rollback: string };
  /** The stacked status classes: every answer below 400, 4xx, 5xx. */
  status: { rpsUnder400: string; rps4xx: string; rps5xx: string };
  threshold: string;
  grid: string;
  axis: string;
  tooltip: { background: string; border: string; text: string };
};

/**
 * SVG strokes cannot follow the theme's CSS variables, so the charts take their colours from here. Each theme's line
 * colours keep at least 3:1 against its card, and the figures printed in a slot's colour keep 4.5:1.
 */
export const CHART_PALETTES: Record<Theme, ChartPalette> = {
  dark: {
    slot: { blue: "#3b82f6", green: "#22c55e" },
    marker: { switch: "#a78bfa", rollback: "#f97316" },
    status: { rpsUnder400: "#94a3b8", rps4xx: "#f59e0b", rps5xx: "#ef4444" },
    threshold: "#ef4444",
    grid: "#27272a",
    axis: "#71717a",
    tooltip: { background: "#18181b", border: "#3f3f46", text: "#e4e4e7" },
  },
  light: {
    slot: { blue: "#1d4ed8", green: "#15803d" },
    marker: { switch: "#6d28d9", rollback: "#c2410c" },
    status: { rpsUnder400: "#64748b", rps4xx: "#b45309", rps5xx: "#b91c1c" },
    threshold: "#b91c1c",
    grid: "#e4e4e7",
    axis: "#52525b",
    tooltip: { background: "#ffffff", border: "#d4d4d8", text: "#18181b" },
  },
};

/** The chart colours of the theme the page shows, switching with the toggle. */
export function useChartPalette(): ChartPalette {
  return CHART_PALETTES[useShownTheme()];
}
