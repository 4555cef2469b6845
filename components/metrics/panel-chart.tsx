"use client";

import { useState } from "react";
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
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
  /** Called with [from, to) epoch seconds when the user drags across the chart; no dragging without it. */
  onZoom?: (from: number, to: number) => void;
};

type LineEnds = { x1?: number; y1?: number; x2?: number; y2?: number };

/** A marker that opens its deployment: the visible line plus a wider transparent one that takes the click. */
function markerShape(m: ChartMarker, stroke: string) {
  const MarkerShape = (p: LineEnds) => {
    const line = (
      <>
        <line
          x1={p.x1}
          y1={p.y1}
          x2={p.x2}
          y2={p.y2}
          stroke={stroke}
          strokeDasharray={m.kind === "rollback" ? "4 3" : undefined}
        />
        {m.deploymentId ? <line x1={p.x1} y1={p.y1} x2={p.x2} y2={p.y2} stroke="transparent" strokeWidth={10} /> : null}
      </>
    );
    if (!m.deploymentId) return <g>{line}</g>;
    return (
      <a
        href={`/deployments/${encodeURIComponent(m.deploymentId)}`}
        data-testid={`marker-${m.kind}`}
        data-deployment={m.deploymentId}
        style={{ cursor: "pointer" }}
      >
        <title>{`${m.label}: open the deployment`}</title>
        {line}
      </a>
    );
  };
  return MarkerShape;
}

const asSeconds = (label: unknown) => (typeof label === "number" ? label : Number(label));

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
  onZoom,
}: PanelChartProps) {
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
  const connect = metric === "cpuPct" || metric === "memMb";
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart
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
            shape={markerShape(m, palette.marker[m.kind])}
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
        {drag && drag.to !== drag.from ? (
          <ReferenceArea
            x1={Math.min(drag.from, drag.to)}
            x2={Math.max(drag.from, drag.to)}
            fill={palette.axis}
            fillOpacity={0.2}
            ifOverflow="hidden"
          />
        ) : null}
      </LineChart>
    </ResponsiveContainer>
  );
}
