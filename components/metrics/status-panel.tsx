"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import type { ChartMarker } from "@/lib/views/metrics-markers";
import {
  currentValue,
  legendFigures,
  STATUS_CLASSES,
  statusRows,
  statusSeries,
  type SlotSeries,
  type StatusScope,
} from "@/lib/views/metrics-series";
import { useChartPalette } from "./chart-palette";
import { formatValue, METRIC_INFO } from "./format";

// Drawn in the browser only, like the other panels' charts.
const StatusChart = dynamic(() => import("./status-chart").then((m) => m.StatusChart), { ssr: false });

export type StatusPanelProps = {
  series: SlotSeries;
  domain: [number, number];
  markers?: readonly ChartMarker[];
  height?: number;
  /** Steps averaged for the header figures (a per-second rate flickers). */
  currentSpan?: number;
  /** The colour nginx serves: the panel stacks it unless the reader picks another colour or both. */
  live?: "blue" | "green" | null;
  syncId?: string;
  onZoom?: (from: number, to: number) => void;
};

const FIGURES = ["last", "min", "max", "mean"] as const;
const SCOPES: readonly StatusScope[] = ["blue", "green", "both"];

/**
 * "Requests by status": requests/s of one colour (the live one unless the reader picks) or of both summed, stacked
 * by status class. The bottom class is every answer below 400 (2xx and 3xx, and the rare 1xx): the rollups count
 * 4xx and 5xx and leave the rest together.
 */
export function StatusPanel({
  series,
  domain,
  markers = [],
  height = 180,
  currentSpan = 1,
  live = null,
  syncId,
  onZoom,
}: StatusPanelProps) {
  const [picked, setPicked] = useState<StatusScope | null>(null);
  const scope: StatusScope = picked ?? live ?? "both";
  const palette = useChartPalette();
  const status = statusSeries(series, scope);
  const rows = statusRows(status);
  return (
    <section
      className="rounded-lg border border-zinc-800 bg-zinc-900/60 p-3"
      data-testid="panel-status"
      data-scope={scope}
      aria-label="Requests by status (req/s)"
    >
      <header className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-sm font-semibold text-zinc-200">
          Requests by status <span className="font-normal text-zinc-500">req/s</span>
          <span className="ml-2 text-xs font-normal text-zinc-500">2xx/3xx is every answer below 400</span>
        </h3>
        <div className="flex items-center gap-3 text-sm tabular-nums">
          {STATUS_CLASSES.map((c) => (
            <span key={c} className="flex items-center gap-1.5" title={`latest ${METRIC_INFO[c].title} requests/s`}>
              <span aria-hidden className="inline-block h-2 w-2 rounded-sm" style={{ background: palette.status[c] }} />
              <span className="text-zinc-400">{c === "rpsUnder400" ? "2xx/3xx" : METRIC_INFO[c].title}</span>
              <span className="font-medium text-zinc-100" data-testid={`current-status-${c}`}>
                {formatValue(c, currentValue(status, "status", c, currentSpan))}
              </span>
            </span>
          ))}
        </div>
      </header>
      <div className="mb-2 flex items-center gap-1 text-xs" role="group" aria-label="Colours stacked">
        {SCOPES.map((s) => (
          <button
            key={s}
            type="button"
            data-testid={`status-scope-${s}`}
            aria-pressed={scope === s}
            onClick={() => setPicked(s)}
            className={`rounded border px-2 py-0.5 ${
              scope === s
                ? "border-zinc-500 bg-zinc-800 text-zinc-100"
                : "border-zinc-800 text-zinc-400 hover:text-zinc-200"
            }`}
          >
            {s === "both" ? "both summed" : s}
            {s === live ? " (live)" : ""}
          </button>
        ))}
      </div>
      <div style={{ height }} className="w-full">
        <StatusChart rows={rows} domain={domain} markers={markers} height={height} syncId={syncId} onZoom={onZoom} />
      </div>
      <table className="mt-2 w-full text-xs tabular-nums" data-testid="legend-status">
        <caption className="sr-only">
          Requests by status class over the shown range, {scope === "both" ? "both colours summed" : scope}
        </caption>
        <thead className="text-zinc-500">
          <tr>
            <th scope="col" className="text-left font-normal">
              class
            </th>
            {FIGURES.map((f) => (
              <th key={f} scope="col" className="text-right font-normal">
                {f}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {STATUS_CLASSES.map((c) => {
            const figures = legendFigures(status, "status", c, domain);
            return (
              <tr key={c} data-testid={`legend-status-${c}`}>
                <th scope="row" className="text-left font-normal text-zinc-300">
                  <span
                    aria-hidden
                    className="mr-1.5 inline-block h-2 w-2 rounded-sm"
                    style={{ background: palette.status[c] }}
                  />
                  {METRIC_INFO[c].title}
                </th>
                {FIGURES.map((f) => (
                  <td key={f} className="text-right text-zinc-200" data-figure={f} data-value={figures[f] ?? ""}>
                    {formatValue(c, figures[f])}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
