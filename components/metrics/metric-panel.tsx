"use client";

import { useState } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
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
import { formatTick, formatTickValue, formatValue, METRIC_INFO } from "./format";

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
};

const COMPANION_DASH = ["2 3", "7 3"];

/** What the latency panel draws beside p95: the median and the tail, as an on-call reads latency. */
export const LATENCY_COMPANIONS: readonly MetricKey[] = ["p50Ms", "p99Ms"];
const shortName = (metric: MetricKey) => METRIC_INFO[metric].title.split(" ")[0]!.toLowerCase();

const FIGURES = ["last", "min", "max", "mean"] as const;

/** Switches label at the top and rollbacks at the bottom, so a quick rollback does not overprint its switch; near the right edge the text goes left of the line. */
function markerLabelPosition(m: ChartMarker, [from, to]: [number, number]) {
  const right = to > from && (m.t - from) / (to - from) > 0.8;
  if (m.kind === "switch") return right ? "insideTopRight" : "insideTopLeft";
  return right ? "insideBottomRight" : "insideBottomLeft";
}

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
}: MetricPanelProps) {
  const [hidden, setHidden] = useState<ReadonlySet<ChartSlot>>(new Set());
  const toggle = (slot: ChartSlot) =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(slot)) next.add(slot);
      return next;
    });
  const info = METRIC_INFO[metric];
  const span = domain[1] - domain[0];
  const slots = live === "green" ? (["green", "blue"] as const) : CHART_SLOTS;
  const connect = metric === "cpuPct" || metric === "memMb";
  const palette = useChartPalette();
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
        </div>
      </header>
      <div style={{ height }} className="w-full">
        <ResponsiveContainer width="100%" height={height}>
          <LineChart data={rows} margin={{ top: 6, right: 8, bottom: 0, left: 0 }} syncId={syncId} syncMethod="value">
            <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              domain={domain}
              allowDataOverflow
              tickFormatter={(t: number) => formatTick(t, span)}
              stroke={palette.axis}
              fontSize={11}
              minTickGap={40}
            />
            <YAxis
              stroke={palette.axis}
              fontSize={11}
              width={48}
              tickFormatter={(v: number) => formatTickValue(v)}
              domain={[0, "auto"]}
            />
            <Tooltip
              contentStyle={{
                background: palette.tooltip.background,
                border: `1px solid ${palette.tooltip.border}`,
                color: palette.tooltip.text,
                fontSize: 12,
              }}
              labelFormatter={(t) => new Date(Number(t) * 1000).toLocaleString("en-GB")}
              formatter={(v, name) => [formatValue(metric, typeof v === "number" ? v : null), String(name)]}
              isAnimationActive={false}
            />
            {threshold ? (
              <ReferenceLine y={threshold} stroke={palette.threshold} strokeDasharray="6 4" ifOverflow="extendDomain" />
            ) : null}
            {markers.map((m) => (
              <ReferenceLine
                key={`${m.kind}-${m.t}`}
                x={m.t}
                stroke={palette.marker[m.kind]}
                strokeDasharray={m.kind === "rollback" ? "4 3" : undefined}
                label={{
                  value: m.label,
                  position: markerLabelPosition(m, domain),
                  fill: palette.marker[m.kind],
                  fontSize: 10,
                }}
                ifOverflow="hidden"
              />
            ))}
            {CHART_SLOTS.map((slot) => (
              <Line
                key={slot}
                name={companions.length > 0 ? `${slot} ${shortName(metric)}` : slot}
                dataKey={`${slot}_${metric}`}
                stroke={palette.slot[slot]}
                dot={false}
                strokeWidth={1.6}
                isAnimationActive={false}
                connectNulls={connect}
                hide={hidden.has(slot)}
              />
            ))}
            {CHART_SLOTS.flatMap((slot) =>
              companions.map((companion, i) => (
                <Line
                  key={`${slot}-${companion}`}
                  name={`${slot} ${shortName(companion)}`}
                  dataKey={`${slot}_${companion}`}
                  stroke={palette.slot[slot]}
                  strokeDasharray={COMPANION_DASH[i % COMPANION_DASH.length]}
                  strokeOpacity={0.7}
                  dot={false}
                  strokeWidth={1}
                  isAnimationActive={false}
                  connectNulls={connect}
                  hide={hidden.has(slot)}
                />
              )),
            )}
          </LineChart>
        </ResponsiveContainer>
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
                        className="flex items-center gap-1.5 text-zinc-300 hover:text-zinc-100"
                      >
                        <span
                          aria-hidden
                          className="inline-block h-2 w-2 rounded-full"
                          style={{ background: palette.slot[slot] }}
                        />
                        {slot}
                        {companions.length > 0 ? <span className="text-zinc-500">{shortName(shown)}</span> : null}
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
