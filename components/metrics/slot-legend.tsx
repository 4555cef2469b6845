import type { CSSProperties } from "react";
import { useChartPalette } from "./chart-palette";

/** What the colours and lines of the charts mean. */
export function SlotLegend() {
  const palette = useChartPalette();
  const item = (label: string, style: CSSProperties) => (
    <span className="flex items-center gap-1.5">
      <span aria-hidden className="inline-block h-0 w-4 border-t-2" style={style} />
      {label}
    </span>
  );
  return (
    <div className="flex flex-wrap items-center gap-3" aria-label="Legend">
      {item("blue", { borderColor: palette.slot.blue })}
      {item("green", { borderColor: palette.slot.green })}
      {item("threshold", { borderColor: palette.threshold, borderTopStyle: "dashed" })}
      {item("switch", { borderColor: palette.marker.switch })}
      {item("rollback", { borderColor: palette.marker.rollback, borderTopStyle: "dashed" })}
    </div>
  );
}
