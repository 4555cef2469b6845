import type { AuditRow } from "@/lib/audit/types";
import { DataTable, type Column } from "@/components/ui/data-table";
import { StatusBadge } from "@/components/ui/status-badge";
import { Time } from "@/components/ui/time";
import { DetailsCell } from "./details-cell";

const COLUMNS: Column<AuditRow>[] = [
  { header: "#", className: "font-mono text-xs text-zinc-400", cell: (row) => row.id },
  { header: "When", className: "whitespace-nowrap", cell: (row) => <Time at={row.at} utc="line" /> },
  {
    header: "Who",
    className: "whitespace-nowrap",
    cell: (row) => (
      <>
        <span className="font-medium text-zinc-100">{row.actor}</span>
        {row.role ? <span className="block text-xs text-zinc-400">{row.role}</span> : null}
      </>
    ),
  },
  { header: "Action", className: "font-mono text-xs whitespace-nowrap text-zinc-200", cell: (row) => row.action },
  { header: "Target", className: "font-mono text-xs break-all text-zinc-300", cell: (row) => row.target ?? "–" },
  { header: "Outcome", cell: (row) => <StatusBadge kind="auditOutcome" status={row.outcome} /> },
  { header: "Reason", className: "max-w-xs text-zinc-300", cell: (row) => row.reason ?? "–" },
  {
    header: "From",
    className: "text-xs text-zinc-400",
    cell: (row) => (
      <>
        <span className="font-mono whitespace-nowrap">{row.sourceIp ?? "–"}</span>
        {row.userAgent ? (
          <span className="block max-w-[12rem] truncate" title={row.userAgent}>
            {row.userAgent}
          </span>
        ) : null}
      </>
    ),
  },
  { header: "Details", cell: (row) => <DetailsCell details={row.details} /> },
];

export function AuditTable({ rows }: { rows: readonly AuditRow[] }) {
  return (
    <DataTable
      columns={COLUMNS}
      rows={rows}
      label="Audit entries"
      cellClassName="align-top"
      testId="audit-table"
      rowProps={(row) => ({ "data-testid": "audit-row", "data-action": row.action, "data-outcome": row.outcome })}
      empty={
        <p
          data-testid="audit-empty"
          className="rounded-md border border-zinc-800 px-4 py-8 text-center text-sm text-zinc-400"
        >
          No audit entries match these filters.
        </p>
      }
    />
  );
}
