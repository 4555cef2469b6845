import type { AuditRow } from "@/lib/audit/types";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { DetailsCell } from "./details-cell";

const OUTCOME_TONE: Record<string, BadgeTone> = { ok: "green", denied: "amber", failed: "red" };

const TH = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-400 whitespace-nowrap";
const TD = "px-3 py-2 align-top";

export function AuditTable({ rows }: { rows: readonly AuditRow[] }) {
  if (rows.length === 0) {
    return (
      <p
        data-testid="audit-empty"
        className="rounded-md border border-zinc-800 px-4 py-8 text-center text-sm text-zinc-400"
      >
        No audit entries match these filters.
      </p>
    );
  }
  return (
    <div
      className="relative overflow-x-auto rounded-lg border border-zinc-800"
      tabIndex={0}
      role="region"
      aria-label="Audit entries"
    >
      <table data-testid="audit-table" className="min-w-full divide-y divide-zinc-800 text-sm">
        <thead className="bg-zinc-900/80">
          <tr>
            <th scope="col" className={TH}>
              #
            </th>
            <th scope="col" className={TH}>
              When
            </th>
            <th scope="col" className={TH}>
              Who
            </th>
            <th scope="col" className={TH}>
              Action
            </th>
            <th scope="col" className={TH}>
              Target
            </th>
            <th scope="col" className={TH}>
              Outcome
            </th>
            <th scope="col" className={TH}>
              Reason
            </th>
            <th scope="col" className={TH}>
              From
            </th>
            <th scope="col" className={TH}>
              Details
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-800/70">
          {rows.map((row) => (
            <tr
              key={row.id}
              data-testid="audit-row"
              data-action={row.action}
              data-outcome={row.outcome}
              className="hover:bg-zinc-900/50"
            >
              <td className={`${TD} font-mono text-xs text-zinc-400`}>{row.id}</td>
              <td className={`${TD} whitespace-nowrap`}>
                <Time at={row.at} utc="line" />
              </td>
              <td className={`${TD} whitespace-nowrap`}>
                <span className="font-medium text-zinc-100">{row.actor}</span>
                {row.role ? <span className="block text-xs text-zinc-400">{row.role}</span> : null}
              </td>
              <td className={`${TD} font-mono text-xs whitespace-nowrap text-zinc-200`}>{row.action}</td>
              <td className={`${TD} font-mono text-xs break-all text-zinc-300`}>{row.target ?? "–"}</td>
              <td className={TD}>
                <Badge tone={OUTCOME_TONE[row.outcome] ?? "neutral"}>{row.outcome}</Badge>
              </td>
              <td className={`${TD} max-w-xs text-zinc-300`}>{row.reason ?? "–"}</td>
              <td className={`${TD} text-xs text-zinc-400`}>
                <span className="font-mono whitespace-nowrap">{row.sourceIp ?? "–"}</span>
                {row.userAgent ? (
                  <span className="block max-w-[12rem] truncate" title={row.userAgent}>
                    {row.userAgent}
                  </span>
                ) : null}
              </td>
              <td className={TD}>
                <DetailsCell details={row.details} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
