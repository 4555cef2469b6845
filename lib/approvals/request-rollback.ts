import { randomBytes } from "node:crypto";
import { z } from "zod";
import { requesterName } from "@/lib/api-tokens/principal";
import { satisfies } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/types";
import { rollbackRequests, type RollbackRequest } from "@/lib/db/schema/rollback-requests";
import { serviceOf, type EngineContext } from "@/lib/deploy/context";
import { AppError, ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { auditAttempt, refuse } from "./audit";
import { REQUEST_EXPIRY_MS, REQUESTER_ROLES, rollbackReason, type AttemptOrigin } from "./policy";
import { expirePending, pendingRequest } from "./store";
import { rollbackTarget } from "./target";

const requestRollbackInput = z.object({ service: z.string().min(1), reason: rollbackReason });
type RequestRollbackInput = z.input<typeof requestRollbackInput>;

const newRequestId = (now: number) => `r${now.toString(36)}${randomBytes(3).toString("hex")}`;

/**
 * Asks for a rollback of the service's serving deployment, to be decided by someone else. Refused (and audited)
 * when the caller may not ask, the reason is missing, there is no warm old colour, or a request is already open.
 */
export async function requestRollback(
  ctx: EngineContext,
  raw: RequestRollbackInput,
  user: SessionUser,
  origin?: AttemptOrigin,
  now = Date.now(),
): Promise<RollbackRequest> {
  const attempt = { user, action: "rollback.request", target: `service:${String(raw.service).slice(0, 100)}`, origin };
  if (!satisfies(user.role, REQUESTER_ROLES))
    throw refuse(
      ctx.db,
      attempt,
      new ForbiddenError(`Requesting a rollback needs the oncall role or higher; you are ${user.role}.`),
    );
  const parsed = requestRollbackInput.safeParse(raw);
  if (!parsed.success)
    throw refuse(ctx.db, attempt, new ValidationError(`reason: ${parsed.error.issues[0]?.message ?? "invalid"}`));
  const { service, reason } = parsed.data;
  let depId: string;
  try {
    serviceOf(ctx, service);
    depId = (await rollbackTarget(ctx, service)).id;
  } catch (error) {
    if (error instanceof AppError) throw refuse(ctx.db, attempt, error);
    throw error;
  }
  const insert = ctx.db.$client.transaction(() => {
    expirePending(ctx.db, now, service);
    const open = pendingRequest(ctx.db, service, now);
    if (open)
      throw new ConflictError(
        `${open.requestedBy} already asked for a rollback of ${service} (request ${open.id}); approve or reject that one.`,
      );
    const inserted = ctx.db
      .insert(rollbackRequests)
      .values({
        id: newRequestId(now),
        service,
        deploymentId: depId,
        requestedBy: requesterName(user),
        requestedRole: user.role,
        reason,
        status: "pending",
        createdAt: now,
        expiresAt: now + REQUEST_EXPIRY_MS,
      })
      .returning()
      .get();
    auditAttempt(ctx.db, {
      ...attempt,
      outcome: "ok",
      reason,
      details: {
        requestId: inserted.id,
        deploymentId: depId,
        expiresAt: inserted.expiresAt,
        requestedBy: inserted.requestedBy,
      },
    });
    return inserted;
  });
  try {
    return insert.immediate();
  } catch (error) {
    if (error instanceof ConflictError) throw refuse(ctx.db, attempt, error);
    throw error;
  }
}
