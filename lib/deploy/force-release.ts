import { z } from "zod";
import { auditAttempt, refuse } from "@/lib/approvals/audit";
import type { AttemptOrigin } from "@/lib/approvals/policy";
import type { SessionUser } from "@/lib/auth/types";
import { UNFINISHED_STATUSES, type Lease } from "@/lib/db/schema";
import { AppError, ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { isAlive } from "@/lib/process-alive";
import { serviceOf, type EngineContext } from "./context";
import { deployLockName, describeLease, forceReleaseLease, INSTANCE, readLease } from "./lease";
import { runningPipelines } from "./running";
import { scrub } from "./secrets-of";
import { findDeployment } from "./store";

export const forceReleaseInput = z.object({
  service: z.string().min(1),
  reason: z
    .string()
    .trim()
    .min(10, "say why in at least 10 characters")
    .max(500, "keep the reason under 500 characters"),
});

const ACTION = "lock.force_release";
const ACTIVE = new Set<string>(UNFINISHED_STATUSES);

/**
 * Why the lock's holder is still alive, or null when it is dead. In this process: its pipeline runs, or its
 * deployment is unfinished (waiting at the gate, rolling back): releasing would let a second target start beside
 * it. In another process: that process is alive and its lease unexpired (it renews what it drives).
 */
export function liveHolder(ctx: EngineContext, lease: Lease, now = Date.now()): string | null {
  const dep = findDeployment(ctx.db, lease.holder);
  if (lease.instance === INSTANCE) {
    if (runningPipelines().has(lease.holder))
      return `deployment ${lease.holder} is running in this Greenlight process; abort it instead`;
    if (dep && ACTIVE.has(dep.status))
      return `deployment ${lease.holder} is ${dep.status.replace(/_/g, " ")} in this Greenlight process; abort or roll it back instead`;
    return null;
  }
  if (lease.expiresAt > now && isAlive(lease.ownerPid))
    return `the Greenlight process that holds it (pid ${lease.ownerPid}) is alive and renews it; use that process's console, or wait until the lease expires`;
  return null;
}

/**
 * An admin releases the deploy lock of a service whose holder is dead (a killed process, a deployment that ended
 * but never let go), so the next deployment need not wait for the lease to expire. Audited and notified; a live
 * holder's lock is refused, and so is anyone but an admin.
 */
export function forceReleaseLock(
  ctx: EngineContext,
  raw: z.input<typeof forceReleaseInput>,
  user: Pick<SessionUser, "username" | "role">,
  origin?: AttemptOrigin,
): { service: string; released: Pick<Lease, "holder" | "reason" | "acquiredAt" | "expiresAt" | "ownerPid"> } {
  const attempt = { user, action: ACTION, target: `service:${String(raw.service).slice(0, 100)}`, origin };
  if (user.role !== "admin")
    throw refuse(
      ctx.db,
      attempt,
      new ForbiddenError(`Releasing a deploy lock is for admins only; you are ${user.role}.`),
    );
  const parsed = forceReleaseInput.safeParse(raw);
  if (!parsed.success)
    throw refuse(ctx.db, attempt, new ValidationError(`reason: ${parsed.error.issues[0]?.message ?? "invalid"}`));
  const { service: name } = parsed.data;
  let lease: Lease;
  let reason: string;
  try {
    const service = serviceOf(ctx, name);
    reason = scrub(service, parsed.data.reason);
    const current = readLease(ctx.db, deployLockName(name));
    if (!current) throw new ConflictError(`${name} is not locked; there is nothing to release.`);
    const live = liveHolder(ctx, current);
    if (live)
      throw new ConflictError(
        `The deploy lock of ${name} is ${describeLease(current)}, and its holder is alive: ${live}.`,
      );
    lease = current;
  } catch (error) {
    if (error instanceof AppError) throw refuse(ctx.db, attempt, error);
    throw error;
  }
  const released = forceReleaseLease(ctx.db, deployLockName(name));
  // Between the read and the delete another holder may have taken the lock: what was deleted is what is reported.
  const gone = released ?? lease;
  const details = {
    holder: gone.holder,
    heldSince: gone.acquiredAt,
    leaseReason: gone.reason,
    ownerPid: gone.ownerPid,
  };
  auditAttempt(ctx.db, { ...attempt, outcome: "ok", reason, details });
  ctx.notify?.({
    kind: "lock_released",
    service: name,
    message: `${user.username} force-released the deploy lock of ${name} held by ${gone.holder} (${gone.reason}): ${reason}`,
    detail: { by: user.username, holder: gone.holder },
  });
  return {
    service: name,
    released: {
      holder: gone.holder,
      reason: gone.reason,
      acquiredAt: gone.acquiredAt,
      expiresAt: gone.expiresAt,
      ownerPid: gone.ownerPid,
    },
  };
}
