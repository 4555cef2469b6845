"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ChartMarker } from "@/lib/views/metrics-markers";
import { CHART_SLOTS, type ChartRow, type ChartSlot, type MetricKey } from "@/lib/views/metrics-series";
import { useChartPalette } from "./chart-palette";
import { formatTick, formatTickValue, formatValue, shortName } from "./format";

const COMPANION_DASH = ["2 3", "7 3"];

export type PanelChartProps = {
  metric: MetricKey;
  rows: ChartRow[];
  domain: [number, number];
  threshold?: number | null;
  markers: readonly ChartMarker[];
  height: number;
  syncId?: string;
  companions: readonly MetricKey[];
  hidden: ReadonlySet<ChartSlot>;
};

/** Switches label at the top and rollbacks at the bottom, so a quick rollback does not overprint its switch; near the right edge the text goes left of the line. */
function markerLabelPosition(m: ChartMarker, [from, to]: [number, number]) {
  const right = to > from && (m.t - from) / (to - from) > 0.8;
  if (m.kind === "switch") return right ? "insideTopRight" : "insideTopLeft";
  return right ? "insideBottomRight" : "insideBottomLeft";
}

/** The drawing of one board panel: both colours, their companions dashed, the threshold and the markers. */
export function PanelChart({
  metric,
  rows,
  domain,
  threshold,
  markers,
  height,
  syncId,
  companions,
  hidden,
}: PanelChartProps) {
  const palette = useChartPalette();
  const span = domain[1] - domain[0];
  const connect = metric === "cpuPct" || metric === "memMb";
  return (
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
  );
}
