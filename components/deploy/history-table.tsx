import Link from "next/link";
import type { Deployment } from "@/lib/db/schema";
import { formatDuration } from "./format";
import { DeploymentStatusBadge, SlotName } from "./status";
import { Time } from "./time";
import { shortDigest } from "@/lib/docker/pinned-reference";

export function HistoryTable({ deployments }: { deployments: Deployment[] }) {
  if (deployments.length === 0) return <p className="text-sm text-zinc-400">No deployments yet.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-800">
      <table className="w-full text-left text-sm" data-testid="history">
        <thead className="bg-zinc-900 text-xs tracking-wide text-zinc-400 uppercase">
          <tr>
            <th className="px-3 py-2 font-medium">Deployment</th>
            <th className="px-3 py-2 font-medium">Version</th>
            <th className="px-3 py-2 font-medium">From → to</th>
            <th className="px-3 py-2 font-medium">Status</th>
            <th className="px-3 py-2 font-medium">By</th>
            <th className="px-3 py-2 font-medium">Started</th>
            <th className="px-3 py-2 text-right font-medium">Duration</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-800">
          {deployments.map((d) => (
            <tr key={d.id} className="hover:bg-zinc-900/80">
              <td className="px-3 py-2">
                <Link href={`/deployments/${d.id}`} className="font-mono text-xs text-emerald-400 hover:underline">
                  {d.id}
                </Link>
              </td>
              <td className="px-3 py-2 font-mono">
                {d.version}
                {shortDigest(d.imageDigest) ? (
                  <span
                    className="block text-xs text-zinc-400"
                    data-testid="history-digest"
                    title={d.imageDigest ?? undefined}
                  >
                    {shortDigest(d.imageDigest)}
                  </span>
                ) : null}
              </td>
              <td className="px-3 py-2 whitespace-nowrap">
                {d.fromSlot ? (
                  <>
                    <SlotName slot={d.fromSlot} /> <span className="text-zinc-400">{d.fromVersion}</span>
                  </>
                ) : (
                  <span className="text-zinc-400">first install</span>
                )}{" "}
                → <SlotName slot={d.toSlot} />
              </td>
              <td className="px-3 py-2">
                <DeploymentStatusBadge status={d.status} />
              </td>
              <td className="px-3 py-2 text-zinc-300">
                {d.promotedBy && d.promotedBy !== d.requestedBy
                  ? `${d.requestedBy}, promoted by ${d.promotedBy}`
                  : d.requestedBy}
              </td>
              <td className="px-3 py-2 whitespace-nowrap text-zinc-300">
                <Time at={d.createdAt} />
              </td>
              <td className="px-3 py-2 text-right whitespace-nowrap text-zinc-300 tabular-nums">
                {d.finishedAt ? formatDuration(d.finishedAt - d.createdAt) : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
