import Link from "next/link";
import type { Deployment } from "@/lib/db/schema";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatDuration } from "./format";
import { DeploymentStatusBadge, SlotName } from "./status";
import { Time } from "./time";
import { shortDigest } from "@/lib/docker/pinned-reference";

const COLUMNS: Column<Deployment>[] = [
  {
    header: "Deployment",
    cell: (d) => (
      <Link href={`/deployments/${d.id}`} className="font-mono text-xs text-emerald-400 hover:underline">
        {d.id}
      </Link>
    ),
  },
  {
    header: "Version",
    className: "font-mono",
    cell: (d) => (
      <>
        {d.version}
        {shortDigest(d.imageDigest) ? (
          <span className="block text-xs text-zinc-400" data-testid="history-digest" title={d.imageDigest ?? undefined}>
            {shortDigest(d.imageDigest)}
          </span>
        ) : null}
      </>
    ),
  },
  {
    header: "From → to",
    className: "whitespace-nowrap",
    cell: (d) => (
      <>
        {d.fromSlot ? (
          <>
            <SlotName slot={d.fromSlot} /> <span className="text-zinc-400">{d.fromVersion}</span>
          </>
        ) : (
          <span className="text-zinc-400">first install</span>
        )}{" "}
        → <SlotName slot={d.toSlot} />
      </>
    ),
  },
  { header: "Status", cell: (d) => <DeploymentStatusBadge status={d.status} /> },
  {
    header: "By",
    className: "text-zinc-300",
    cell: (d) =>
      d.promotedBy && d.promotedBy !== d.requestedBy ? `${d.requestedBy}, promoted by ${d.promotedBy}` : d.requestedBy,
  },
  { header: "Started", className: "whitespace-nowrap text-zinc-300", cell: (d) => <Time at={d.createdAt} /> },
  {
    header: "Duration",
    headerClassName: "text-right",
    className: "text-right whitespace-nowrap text-zinc-300 tabular-nums",
    cell: (d) => (d.finishedAt ? formatDuration(d.finishedAt - d.createdAt) : "—"),
  },
];

export function HistoryTable({ deployments }: { deployments: Deployment[] }) {
  return (
    <DataTable
      columns={COLUMNS}
      rows={deployments}
      empty="No deployments yet."
      label="Deployment history"
      testId="history"
    />
  );
}
