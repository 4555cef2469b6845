import { recordAudit } from "@/lib/audit/record";
import type { RollbackRequest } from "@/lib/db/schema/rollback-requests";
import type { EngineContext } from "@/lib/deploy/context";
import { expirePending } from "./store";

/** Pending requests past their expiry become expired (each one audited); returns them. */
export function expireRequests(ctx: Pick<EngineContext, "db">, now = Date.now()): RollbackRequest[] {
  return ctx.db.$client.transaction(() => {
    const expired = expirePending(ctx.db, now);
    for (const req of expired)
      recordAudit(ctx.db, {
        actor: "greenlight",
        action: "rollback.expire",
        target: `rollback_request:${req.id}`,
        reason: "nobody approved it within its time",
        details: { service: req.service, requestedBy: req.requestedBy },
      });
    return expired;
  })();
}
