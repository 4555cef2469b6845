import type { CSSProperties } from "react";
import { MARKER_COLOUR, SLOT_COLOUR, THRESHOLD_COLOUR } from "./format";

/** What the colours and lines of the charts mean. */
export function SlotLegend() {
  const item = (label: string, style: CSSProperties) => (
    <span className="flex items-center gap-1.5">
      <span aria-hidden className="inline-block h-0 w-4 border-t-2" style={style} />
      {label}
    </span>
  );
  return (
    <div className="flex flex-wrap items-center gap-3" aria-label="Legend">
      {item("blue", { borderColor: SLOT_COLOUR.blue })}
      {item("green", { borderColor: SLOT_COLOUR.green })}
      {item("threshold", { borderColor: THRESHOLD_COLOUR, borderTopStyle: "dashed" })}
      {item("switch", { borderColor: MARKER_COLOUR.switch })}
      {item("rollback", { borderColor: MARKER_COLOUR.rollback, borderTopStyle: "dashed" })}
    </div>
  );
}
