import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db/client";
import { requestOrigin } from "./audited";
import type { DeniedHook } from "./safe-action";

/** A server action refused a caller by role: who (or "anonymous"), which action, why, from where. */
export const auditDenied: DeniedHook = async ({ user, name, error }) => {
  recordAudit(getDb(), {
    actor: user?.username ?? "anonymous",
    role: user?.role ?? null,
    action: name,
    outcome: "denied",
    reason: error.message,
    details: { via: "console" },
    ...(await requestOrigin()),
  });
};
