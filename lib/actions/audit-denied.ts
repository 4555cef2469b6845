import { recordAudit } from "@/lib/audit/record";
import { recordThrottledRefusal } from "@/lib/audit/throttle";
import { getDb } from "@/lib/db/client";
import { requestOrigin } from "./audited";
import type { DeniedHook } from "./safe-action";

/** A server action refused a caller by role: who (or "anonymous"), which action, why, from where. */
export const auditDenied: DeniedHook = async ({ user, name, error }) => {
  // Anonymous refusals are throttled per source: anyone can send them, and the trail must not grow without bound.
  (user ? recordAudit : recordThrottledRefusal)(getDb(), {
    actor: user?.username ?? "anonymous",
    role: user?.role ?? null,
    action: name,
    outcome: "denied",
    reason: error.message,
    details: { via: "console" },
    ...(await requestOrigin()),
  });
};
