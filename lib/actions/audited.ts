import { headers } from "next/headers";
import { auditFromRequest } from "@/lib/audit/from-request";
import { recordAudit } from "@/lib/audit/record";
import type { AuditOutcome } from "@/lib/audit/types";
import type { SessionUser } from "@/lib/auth/types";
import { getDb, type Db } from "@/lib/db/client";
import { publicMessage } from "@/lib/errors";
import type { Actor } from "@/lib/deploy/audit-verb";

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
  const base = await auditBase(user, step);
  const result = await refusalsAudited(base, step, run, db);
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

/**
 * For a deployment verb, which writes the audit row of what it did itself (lib/deploy/lifecycle.ts): only a
 * refusal (the error the verb threw) is recorded here, as `failed`. `actor` is what the verb needs to audit.
 */
export async function verbAudited<T>(
  user: Pick<SessionUser, "username" | "role">,
  step: AuditedStep,
  run: (actor: Actor) => Promise<T> | T,
  db: Db = getDb(),
): Promise<T> {
  const base = await auditBase(user, step);
  const actor: Actor = { username: user.username, role: user.role, via: "console", ...pickOrigin(base) };
  return refusalsAudited(base, step, () => run(actor), db);
}

type Base = { actor: string; role: string; action: string; sourceIp: string | null; userAgent: string | null };

const pickOrigin = (base: Base) => ({ sourceIp: base.sourceIp, userAgent: base.userAgent });

async function auditBase(user: Pick<SessionUser, "username" | "role">, step: AuditedStep): Promise<Base> {
  return { actor: user.username, role: user.role, action: step.action, ...(await requestOrigin()) };
}

async function refusalsAudited<T>(base: Base, step: AuditedStep, run: () => Promise<T> | T, db: Db): Promise<T> {
  try {
    return await run();
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
}
