import { headers } from "next/headers";
import { auditFromRequest } from "@/lib/audit/from-request";
import { recordAudit } from "@/lib/audit/record";
import type { AuditOutcome } from "@/lib/audit/types";
import type { SessionUser } from "@/lib/auth/types";
import { getDb, type Db } from "@/lib/db/client";
import { publicMessage } from "@/lib/errors";

type AuditedStep = { action: string; target: string; details?: Record<string, unknown> };

/** What the audit row says about a step that returned: its outcome, the user-facing message, a better target. */
type AuditedResult = {
  outcome?: AuditOutcome;
  reason?: string | null;
  target?: string;
  details?: Record<string, unknown>;
};

/** Source address and user agent of the request a server action is answering. */
export async function requestOrigin(): Promise<{ sourceIp: string | null; userAgent: string | null }> {
  return auditFromRequest(await headers());
}

/**
 * Runs a user's state-changing step and appends one audit row for it: `ok` with the message the user was shown,
 * or `failed` with the public message of the error (which is then thrown on, unchanged).
 */
export async function audited<T>(
  user: Pick<SessionUser, "username" | "role">,
  step: AuditedStep,
  run: () => Promise<T> | T,
  describe: (result: T) => AuditedResult = () => ({}),
  db: Db = getDb(),
): Promise<T> {
  const origin = await requestOrigin();
  const base = { actor: user.username, role: user.role, action: step.action, ...origin };
  let result: T;
  try {
    result = await run();
  } catch (error) {
    recordAudit(db, {
      ...base,
      target: step.target,
      outcome: "failed",
      reason: publicMessage(error),
      details: step.details,
    });
    throw error;
  }
  const said = describe(result);
  recordAudit(db, {
    ...base,
    target: said.target ?? step.target,
    outcome: said.outcome ?? "ok",
    reason: said.reason ?? null,
    details: { ...step.details, ...said.details },
  });
  return result;
}
