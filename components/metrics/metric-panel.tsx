"use client";

import dynamic from "next/dynamic";
import { useRef, useState } from "react";
import type { ChartMarker } from "@/lib/views/metrics-markers";
import {
  CHART_SLOTS,
  currentValue,
  legendFigures,
  type ChartRow,
  type ChartSlot,
  type MetricKey,
  type SlotSeries,
} from "@/lib/views/metrics-series";
import { useChartPalette } from "./chart-palette";
import { formatValue, METRIC_INFO, shortName } from "./format";
import { savePanelPng } from "./panel-png";

// The chart is drawn in the browser only: it needs the panel's measured width, and leaving Recharts out of the
// server render keeps its code and an SVG of thousands of points out of the console's memory.
const PanelChart = dynamic(() => import("./panel-chart").then((m) => m.PanelChart), { ssr: false });

export type MetricPanelProps = {
  metric: MetricKey;
  rows: ChartRow[];
  series: SlotSeries;
  domain: [number, number];
  threshold?: number | null;
  markers?: readonly ChartMarker[];
  height?: number;
  /** Steps averaged for the header figure (a per-second rate flickers). */
  currentSpan?: number;
  /** Which colour is live, shown first in the header. */
  live?: "blue" | "green" | null;
  /** Panels with the same id share one crosshair: hovering one shows the same instant on all of them. */
  syncId?: string;
  /** Figures drawn beside the panel's own per colour, dashed (p50 and p99 beside p95), with legend rows of their own. */
  companions?: readonly MetricKey[];
  /** Dragging across the chart zooms to that span (the board moves every panel there). */
  onZoom?: (from: number, to: number) => void;
  /** Offers a "PNG" button saving the chart as `${png.name}.png`, headed by `png.caption` and the panel's title. */
  png?: { name: string; caption: string };
};

/** What the latency panel draws beside p95: the median and the tail, as an on-call reads latency. */
export const LATENCY_COMPANIONS: readonly MetricKey[] = ["p50Ms", "p99Ms"];

const FIGURES = ["last", "min", "max", "mean"] as const;

/** One board panel: both colours overlaid, the threshold as a dashed line, switch and rollback moments as markers. */
export function MetricPanel({
  metric,
  rows,
  series,
  domain,
  threshold,
  markers = [],
  height = 180,
  currentSpan = 1,
  live,
  syncId,
  companions = [],
  onZoom,
  png,
}: MetricPanelProps) {
  const chart = useRef<HTMLDivElement>(null);
  const [pngProblem, setPngProblem] = useState<string | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<ChartSlot>>(new Set());
  const toggle = (slot: ChartSlot) =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(slot)) next.add(slot);
      return next;
    });
  // Grafana's isolate: only this colour, or every colour again when it already stands alone.
  const isolate = (slot: ChartSlot) =>
    setHidden((h) => {
      const alone = CHART_SLOTS.every((s) => (s === slot ? !h.has(s) : h.has(s)));
      return alone ? new Set() : new Set(CHART_SLOTS.filter((s) => s !== slot));
    });
  const info = METRIC_INFO[metric];
  const slots = live === "green" ? (["green", "blue"] as const) : CHART_SLOTS;
  const palette = useChartPalette();
  const savePng = () => {
    if (!chart.current || !png) return;
    setPngProblem(null);
    savePanelPng(chart.current, {
      title: `${png.caption} · ${info.title} (${info.unit})`,
      filename: `${png.name}.png`,
      background: palette.tooltip.background,
      text: palette.tooltip.text,
    }).catch((error: unknown) => setPngProblem(error instanceof Error ? error.message : String(error)));
  };
  return (
    <section
      className="rounded-lg border border-zinc-800 bg-zinc-900/60 p-3"
      data-testid={`panel-${metric}`}
      aria-label={`${info.title} (${info.unit})`}
    >
      <header className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-sm font-semibold text-zinc-200">
          {info.title} <span className="font-normal text-zinc-500">{info.unit}</span>
          {companions.length > 0 ? (
            <span className="ml-2 text-xs font-normal text-zinc-500">
              solid p95, dashed {companions.map(shortName).join(" and ")}
            </span>
          ) : null}
        </h3>
        <div className="flex gap-3 text-sm tabular-nums">
          {slots.map((slot) => (
            <span
              key={slot}
              className="flex items-center gap-1.5"
              title={`${slot}: latest ${info.title.toLowerCase()}`}
            >
              <span
                aria-hidden
                className="inline-block h-2 w-2 rounded-full"
                style={{ background: palette.slot[slot] }}
              />
              <span className="text-zinc-400">{slot}</span>
              <span className="font-medium text-zinc-100" data-testid={`current-${metric}-${slot}`}>
                {formatValue(metric, currentValue(series, slot, metric, currentSpan))}
              </span>
            </span>
          ))}
          {threshold ? <span className="text-xs text-red-300">limit {formatValue(metric, threshold)}</span> : null}
          {png ? (
            <button
              type="button"
              onClick={savePng}
              data-testid={`png-${metric}`}
              title="Save this chart as a PNG image"
              className="rounded border border-zinc-800 px-1.5 text-xs text-zinc-400 hover:bg-zinc-800 hover:text-zinc-200"
            >
              PNG
            </button>
          ) : null}
        </div>
      </header>
      {pngProblem ? (
        <p role="alert" className="mb-1 text-xs text-red-300">
          Could not save the PNG: {pngProblem}
        </p>
      ) : null}
      <div ref={chart} style={{ height }} className="w-full">
        <PanelChart
          metric={metric}
          rows={rows}
          domain={domain}
          threshold={threshold}
          markers={markers}
          height={height}
          syncId={syncId}
          companions={companions}
          hidden={hidden}
          onZoom={onZoom}
        />
      </div>
      <table className="mt-2 w-full text-xs tabular-nums" data-testid={`legend-${metric}`}>
        <caption className="sr-only">{info.title} over the shown range, per colour</caption>
        <thead className="text-zinc-500">
          <tr>
            <th scope="col" className="text-left font-normal">
              colour
            </th>
            {FIGURES.map((f) => (
              <th key={f} scope="col" className="text-right font-normal">
                {f}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {slots.flatMap((slot) =>
            [metric, ...companions].map((shown, i) => {
              const figures = legendFigures(series, slot, shown, domain);
              return (
                <tr
                  key={`${slot}-${shown}`}
                  data-testid={i === 0 ? `legend-${metric}-${slot}` : `legend-${metric}-${slot}-${shown}`}
                  className={hidden.has(slot) ? "opacity-50" : ""}
                >
                  <th scope="row" className="text-left font-normal">
                    {i === 0 ? (
                      <button
                        type="button"
                        aria-pressed={!hidden.has(slot)}
                        title={hidden.has(slot) ? `show ${slot}` : `hide ${slot}`}
                        onClick={() => toggle(slot)}
                        className="inline-flex items-center gap-1.5 text-zinc-300 hover:text-zinc-100"
                      >
                        <span
                          aria-hidden
                          className="inline-block h-2 w-2 rounded-full"
                          style={{ background: palette.slot[slot] }}
                        />
                        {slot}
                        {companions.length > 0 ? <span className="text-zinc-500">{shortName(shown)}</span> : null}
                      </button>
                    ) : null}
                    {i === 0 ? (
                      <button
                        type="button"
                        data-testid={`isolate-${metric}-${slot}`}
                        title={`show only ${slot}, or every colour again`}
                        onClick={() => isolate(slot)}
                        className="ml-2 text-zinc-500 hover:text-zinc-200"
                      >
                        only
                      </button>
                    ) : (
                      <span className="pl-3.5 text-zinc-500">{shortName(shown)}</span>
                    )}
                  </th>
                  {FIGURES.map((f) => (
                    <td key={f} className="text-right text-zinc-200" data-figure={f} data-value={figures[f] ?? ""}>
                      {formatValue(shown, figures[f])}
                    </td>
                  ))}
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </section>
  );
}
