import type { RollbackRequest } from "@/lib/db/schema/rollback-requests";

/** Why a request that is no longer pending cannot be decided again, in words for the person who tried. */
export function whyNotPending(req: RollbackRequest): string {
  switch (req.status) {
    case "approved":
    case "executed":
    case "failed":
      return `Rollback request ${req.id} was already approved by ${req.decidedBy ?? "someone else"}.`;
    case "rejected":
      return `Rollback request ${req.id} was rejected by ${req.decidedBy ?? "someone"}: ${req.decisionReason ?? "no reason given"}.`;
    case "expired":
      return `Rollback request ${req.id} expired at ${new Date(req.expiresAt).toISOString()} without a decision; ask again if it is still needed.`;
    case "superseded":
      return `Rollback request ${req.id} was superseded (${req.decisionReason ?? "the service changed"}); ask again if it is still needed.`;
    case "pending":
      return `Rollback request ${req.id} is still pending.`;
  }
}
