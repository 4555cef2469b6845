import type { NotifyEvent } from "@/lib/deploy/context";
import { recordAudit } from "./record";
import type { AuditDb } from "./rows";
import type { AuditOutcome, AuditRow } from "./types";

const FAILED_KINDS = new Set<NotifyEvent["kind"]>([
  "failed",
  "rollback_failed",
  "rollback_target_lost",
  "live_down",
  "serving_failed_release",
  "schedule_failed",
]);

/** Records a state change the engine made on its own (automatic rollback, failures, ...) with actor "greenlight". */
export function auditEngineEvent(db: AuditDb, event: NotifyEvent, secrets: readonly string[] = []): AuditRow {
  const outcome: AuditOutcome = FAILED_KINDS.has(event.kind) ? "failed" : "ok";
  return recordAudit(
    db,
    {
      actor: "greenlight",
      role: "system",
      action: `engine.${event.kind}`,
      target: event.service,
      outcome,
      reason: event.message,
      details: { ...(event.deploymentId ? { deploymentId: event.deploymentId } : {}), ...(event.detail ?? {}) },
    },
    secrets,
  );
}
