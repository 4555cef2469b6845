"use client";

import { Line, LineChart, ResponsiveContainer, YAxis } from "recharts";
import { CHART_SLOTS, type ChartRow, type MetricKey } from "@/lib/views/metrics-series";
import { useChartPalette } from "./chart-palette";

/** A sparkline's drawing: both colours of one metric, no axes. */
export function SparklineChart({ rows, metric, height }: { rows: ChartRow[]; metric: MetricKey; height: number }) {
  const palette = useChartPalette();
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={rows} margin={{ top: 2, right: 0, bottom: 2, left: 0 }}>
        <YAxis hide domain={[0, "auto"]} />
        {CHART_SLOTS.map((slot) => (
          <Line
            key={slot}
            dataKey={`${slot}_${metric}`}
            stroke={palette.slot[slot]}
            dot={false}
            strokeWidth={1.2}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
