"use client";

import { useState } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ChartMarker } from "@/lib/views/metrics-markers";
import { STATUS_CLASSES, type StatusRow } from "@/lib/views/metrics-series";
import { useChartPalette } from "./chart-palette";
import { formatTick, formatTickValue, formatValue, METRIC_INFO } from "./format";

export type StatusChartProps = {
  rows: StatusRow[];
  domain: [number, number];
  markers: readonly ChartMarker[];
  height: number;
  syncId?: string;
  /** Called with [from, to) epoch seconds when the user drags across the chart. */
  onZoom?: (from: number, to: number) => void;
};

const asSeconds = (label: unknown) => (typeof label === "number" ? label : Number(label));

/** The status panel's drawing: requests/s below 400, 4xx and 5xx stacked as areas, with the board's markers. */
export function StatusChart({ rows, domain, markers, height, syncId, onZoom }: StatusChartProps) {
  const palette = useChartPalette();
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const span = domain[1] - domain[0];
  const endDrag = () => {
    if (drag && onZoom) {
      const [a, b] = [Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)];
      if (b > a) onZoom(a, b);
    }
    setDrag(null);
  };
  return (
    <ResponsiveContainer width="100%" height={height}>
      <AreaChart
        data={rows}
        margin={{ top: 6, right: 8, bottom: 0, left: 0 }}
        syncId={syncId}
        syncMethod="value"
        onMouseDown={
          onZoom
            ? (state) => {
                const t = asSeconds(state.activeLabel);
                if (Number.isFinite(t)) setDrag({ from: t, to: t });
              }
            : undefined
        }
        onMouseMove={
          onZoom
            ? (state) => {
                const t = asSeconds(state.activeLabel);
                if (drag && Number.isFinite(t)) setDrag({ ...drag, to: t });
              }
            : undefined
        }
        onMouseUp={onZoom ? endDrag : undefined}
        onMouseLeave={onZoom ? () => setDrag(null) : undefined}
        style={onZoom ? { cursor: "crosshair", userSelect: "none" } : undefined}
      >
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
          formatter={(v, name) => [formatValue("rps", typeof v === "number" ? v : null), String(name)]}
          isAnimationActive={false}
        />
        {markers.map((m) => (
          <ReferenceLine
            key={`${m.kind}-${m.t}`}
            x={m.t}
            stroke={palette.marker[m.kind]}
            strokeDasharray={m.kind === "rollback" ? "4 3" : undefined}
            ifOverflow="hidden"
          />
        ))}
        {STATUS_CLASSES.map((c) => (
          <Area
            key={c}
            type="linear"
            name={METRIC_INFO[c].title}
            dataKey={c}
            stackId="status"
            stroke={palette.status[c]}
            fill={palette.status[c]}
            fillOpacity={0.35}
            strokeWidth={1.2}
            dot={false}
            isAnimationActive={false}
          />
        ))}
        {drag && drag.to !== drag.from ? (
          <ReferenceArea
            x1={Math.min(drag.from, drag.to)}
            x2={Math.max(drag.from, drag.to)}
            fill={palette.axis}
            fillOpacity={0.2}
            ifOverflow="hidden"
          />
        ) : null}
      </AreaChart>
    </ResponsiveContainer>
  );
}
