import { z } from "zod";
import { isApiTokenPrincipal } from "@/lib/api-tokens/principal";
import { satisfies } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/types";
import type { RollbackRequest } from "@/lib/db/schema/rollback-requests";
import type { EngineContext } from "@/lib/deploy/context";
import { AppError, ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { auditAttempt, refuse } from "./audit";
import { whyNotPending } from "./describe";
import { APPROVER_ROLES, type AttemptOrigin } from "./policy";
import { getRollbackRequest, transitionRequest } from "./store";

const rejectionReason = z
  .string()
  .trim()
  .min(3, "say why it is rejected")
  .max(500, "keep the reason under 500 characters");

/** Rejects a pending request with a reason. The same people who could approve it may reject it. */
export function rejectRollback(
  ctx: EngineContext,
  requestId: string,
  user: SessionUser,
  reason: string,
  origin?: AttemptOrigin,
  now = Date.now(),
): RollbackRequest {
  const attempt = { user, action: "rollback.reject", target: `rollback_request:${requestId.slice(0, 64)}`, origin };
  if (!satisfies(user.role, APPROVER_ROLES))
    throw refuse(
      ctx.db,
      attempt,
      new ForbiddenError(`Rejecting a rollback needs the release_manager or admin role; you are ${user.role}.`),
    );
  // Deciding is a person's job either way: a token that could reject would let a CI secret veto a rollback.
  if (isApiTokenPrincipal(user))
    throw refuse(
      ctx.db,
      attempt,
      new ForbiddenError("An API token cannot reject a rollback; a person signed in to the console has to."),
    );
  const parsed = rejectionReason.safeParse(reason);
  if (!parsed.success)
    throw refuse(ctx.db, attempt, new ValidationError(`reason: ${parsed.error.issues[0]?.message ?? "invalid"}`));
  let req: RollbackRequest;
  try {
    req = getRollbackRequest(ctx.db, requestId);
  } catch (error) {
    if (error instanceof AppError) throw refuse(ctx.db, attempt, error);
    throw error;
  }
  const details = { service: req.service, deploymentId: req.deploymentId, requestedBy: req.requestedBy };
  if (req.requestedBy === user.username)
    throw refuse(
      ctx.db,
      { ...attempt, details },
      new ForbiddenError("You asked for this rollback; someone else decides on it."),
    );
  if (
    !transitionRequest(
      ctx.db,
      req.id,
      ["pending"],
      { status: "rejected", decidedBy: user.username, decidedAt: now, decisionReason: parsed.data },
      now,
    )
  ) {
    if (req.status === "pending" && req.expiresAt <= now)
      transitionRequest(ctx.db, req.id, ["pending"], {
        status: "expired",
        decidedAt: now,
        decisionReason: "nobody approved it within its time",
      });
    throw refuse(ctx.db, { ...attempt, details }, new ConflictError(whyNotPending(getRollbackRequest(ctx.db, req.id))));
  }
  auditAttempt(ctx.db, { ...attempt, outcome: "ok", reason: parsed.data, details });
  return getRollbackRequest(ctx.db, req.id);
}
