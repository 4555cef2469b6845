import { recordAudit } from "@/lib/audit/record";
import type { AuditOutcome } from "@/lib/audit/types";
import type { SessionUser } from "@/lib/auth/types";
import type { Db } from "@/lib/db/client";
import type { AppError } from "@/lib/errors";
import type { AttemptOrigin } from "./policy";

type Attempt = {
  user: Pick<SessionUser, "username" | "role">;
  action: string;
  target: string;
  outcome: AuditOutcome;
  reason?: string | null;
  details?: Record<string, unknown>;
  origin?: AttemptOrigin;
};

export function auditAttempt(db: Db, a: Attempt): void {
  recordAudit(db, {
    actor: a.user.username,
    role: a.user.role,
    action: a.action,
    target: a.target,
    outcome: a.outcome,
    reason: a.reason ?? null,
    details: a.details ?? {},
    sourceIp: a.origin?.sourceIp ?? null,
    userAgent: a.origin?.userAgent ?? null,
  });
}

/** Records a refused attempt with the refusal's message as its reason, and hands the error back to throw. */
export function refuse<E extends AppError>(db: Db, a: Omit<Attempt, "outcome" | "reason">, error: E): E {
  auditAttempt(db, { ...a, outcome: "denied", reason: error.message });
  return error;
}
