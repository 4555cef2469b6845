import { recordAudit } from "@/lib/audit/record";
import { recordThrottledRefusal } from "@/lib/audit/throttle";
import type { Db } from "@/lib/db/client";
import { AppError, publicMessage } from "@/lib/errors";
import { normalizeUsername } from "./credentials";
import { findUser } from "./find-user";
import type { SessionUser } from "./types";

const UNKNOWN_USER = "unknown user";

/**
 * The name a sign-in attempt is audited under: the account's own name when it exists, else "unknown user". What
 * was typed is never recorded: a password typed into the username field would be shown to on-call and exported.
 */
function loginAuditName(db: Db, typed: string): string {
  const name = normalizeUsername(typed);
  if (!name) return "anonymous";
  return findUser(db, name)?.username ?? UNKNOWN_USER;
}

type LoginAttempt = { typed: string; origin: { sourceIp: string | null; userAgent: string | null } } & (
  { user: SessionUser; error?: undefined } | { user?: undefined; error: unknown }
);

/** One audit row per sign-in attempt: ok with the user, or denied/failed with the message the user saw. */
export function auditLogin(db: Db, attempt: LoginAttempt): void {
  if (attempt.user) {
    const { user } = attempt;
    recordAudit(db, {
      actor: user.username,
      role: user.role,
      action: "auth.login",
      target: `user:${user.username}`,
      ...attempt.origin,
    });
    return;
  }
  const actor = loginAuditName(db, attempt.typed);
  // Anyone can fail a sign-in: throttled per source address (counted beyond the limit, see lib/audit/throttle.ts).
  recordThrottledRefusal(db, {
    actor,
    action: "auth.login",
    target: `user:${actor}`,
    outcome: attempt.error instanceof AppError ? "denied" : "failed",
    reason: publicMessage(attempt.error),
    ...attempt.origin,
  });
}
