"use client";

import type { RollbackReadiness } from "@/lib/approvals/readiness";
import { StatusBadge } from "@/components/ui/status-badge";

const CHECKS: { key: keyof RollbackReadiness; label: string }[] = [
  { key: "oldColourRunning", label: "old colour running" },
  { key: "oldColourHealthy", label: "old colour healthy" },
  { key: "backupVerified", label: "backup verified" },
  { key: "migrationCheckedAgainstOld", label: "migration checked against the old release" },
];

export function ReadinessIndicator({ readiness }: { readiness: RollbackReadiness }) {
  return (
    <div className="space-y-2" data-testid="rollback-readiness">
      <div className="flex items-center gap-2">
        <StatusBadge kind="rollbackReadiness" status={readiness.ready ? "ready" : "not_ready"} />
        {readiness.fromSlot ? (
          <span className="text-sm text-zinc-300">
            would return to {readiness.fromSlot} ({readiness.fromVersion})
          </span>
        ) : null}
      </div>
      <ul className="grid gap-1 text-sm sm:grid-cols-2">
        {CHECKS.map((c) => (
          <li key={c.key} className={readiness[c.key] ? "text-emerald-300" : "text-amber-300"}>
            {readiness[c.key] ? "✓" : "✗"} {c.label}
          </li>
        ))}
      </ul>
      {readiness.problems.length > 0 ? <p className="text-xs text-zinc-400">{readiness.problems.join("; ")}</p> : null}
    </div>
  );
}
