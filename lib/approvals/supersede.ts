import { and, eq } from "drizzle-orm";
import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { rollbackRequests } from "@/lib/db/schema/rollback-requests";

/**
 * Pending rollback requests of `service` no longer describe what serves once a new deployment starts or an
 * automatic rollback runs: they are marked superseded (audited), so a late approval cannot act on them.
 */
export function supersedePending(db: Db, service: string, why: string, now = Date.now()): number {
  return db.$client.transaction(() => {
    const rows = db
      .update(rollbackRequests)
      .set({ status: "superseded", decidedAt: now, decisionReason: why.slice(0, 500) })
      .where(and(eq(rollbackRequests.service, service), eq(rollbackRequests.status, "pending")))
      .returning({ id: rollbackRequests.id, requestedBy: rollbackRequests.requestedBy })
      .all();
    for (const row of rows)
      recordAudit(db, {
        actor: "greenlight",
        action: "rollback.supersede",
        target: `rollback_request:${row.id}`,
        reason: why,
        details: { service, requestedBy: row.requestedBy },
      });
    return rows.length;
  })();
}
