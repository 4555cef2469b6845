import { Badge, type BadgeTone } from "@/components/ui/badge";
import { STATUS_LABEL, type CriterionStatus, type ReportRow } from "@/lib/views/metrics-report-rows";

const TONE: Record<CriterionStatus, BadgeTone> = { met: "green", not_met: "red", no_data: "neutral" };

/** The sign-off table: each criterion of the plan, what was measured, met or not. */
export function SuccessReportTable({ rows }: { rows: readonly ReportRow[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="success-report">
        <thead className="text-left text-xs text-zinc-400">
          <tr>
            <th className="py-2 pr-4 font-medium">Item</th>
            <th className="py-2 pr-4 font-medium">Criterion</th>
            <th className="py-2 pr-4 font-medium">Measured</th>
            <th className="py-2 font-medium">Result</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-800">
          {rows.map((r) => (
            <tr key={r.item} data-status={r.status}>
              <th scope="row" className="py-2 pr-4 text-left font-medium text-zinc-100">
                {r.item}
              </th>
              <td className="py-2 pr-4 text-zinc-300">{r.criterion}</td>
              <td className="py-2 pr-4 tabular-nums text-zinc-100">{r.measured}</td>
              <td className="py-2">
                <Badge tone={TONE[r.status]}>
                  {r.status === "met" ? "✓ " : r.status === "not_met" ? "✗ " : ""}
                  {STATUS_LABEL[r.status]}
                </Badge>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
