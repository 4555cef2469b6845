import { isApiTokenPrincipal } from "@/lib/api-tokens/principal";
import { satisfies } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/types";
import type { RollbackRequest } from "@/lib/db/schema/rollback-requests";
import type { EngineContext } from "@/lib/deploy/context";
import { rollbackDeployment } from "@/lib/deploy/rollback";
import { servingDeployment } from "@/lib/deploy/store";
import { AppError, ConflictError, ForbiddenError } from "@/lib/errors";
import { auditAttempt, refuse } from "./audit";
import { whyNotPending } from "./describe";
import { APPROVER_ROLES, type AttemptOrigin } from "./policy";
import { getRollbackRequest, transitionRequest } from "./store";

/**
 * Approves a pending request and runs the rollback at once. Only a release manager or admin who did not ask may
 * approve; of two approvals at once exactly one wins the pending -> approved transition and executes. Every
 * refusal is audited with its reason.
 */
export async function approveRollback(
  ctx: EngineContext,
  requestId: string,
  user: SessionUser,
  origin?: AttemptOrigin,
  now = Date.now(),
): Promise<RollbackRequest> {
  const attempt = { user, action: "rollback.approve", target: `rollback_request:${requestId.slice(0, 64)}`, origin };
  if (!satisfies(user.role, APPROVER_ROLES))
    throw refuse(
      ctx.db,
      attempt,
      new ForbiddenError(`Approving a rollback needs the release_manager or admin role; you are ${user.role}.`),
    );
  // The second person must be a person: a token anyone with the CI secret can use would make the rule one-person.
  if (isApiTokenPrincipal(user))
    throw refuse(
      ctx.db,
      attempt,
      new ForbiddenError("An API token cannot approve a rollback; a person signed in to the console has to."),
    );
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
      new ForbiddenError("You asked for this rollback; someone else has to approve it."),
    );
  if (req.status === "pending" && req.expiresAt <= now) {
    transitionRequest(ctx.db, req.id, ["pending"], {
      status: "expired",
      decidedAt: now,
      decisionReason: "nobody approved it within its time",
    });
    throw refuse(ctx.db, { ...attempt, details }, new ConflictError(whyNotPending(getRollbackRequest(ctx.db, req.id))));
  }
  if (req.status !== "pending") throw refuse(ctx.db, { ...attempt, details }, new ConflictError(whyNotPending(req)));
  if (servingDeployment(ctx.db, req.service)?.id !== req.deploymentId) {
    transitionRequest(ctx.db, req.id, ["pending"], {
      status: "superseded",
      decidedAt: now,
      decisionReason: `deployment ${req.deploymentId} no longer serves`,
    });
    throw refuse(ctx.db, { ...attempt, details }, new ConflictError(whyNotPending(getRollbackRequest(ctx.db, req.id))));
  }
  if (
    !transitionRequest(
      ctx.db,
      req.id,
      ["pending"],
      { status: "approved", decidedBy: user.username, decidedAt: now },
      now,
    )
  )
    throw refuse(ctx.db, { ...attempt, details }, new ConflictError(whyNotPending(getRollbackRequest(ctx.db, req.id))));
  auditAttempt(ctx.db, { ...attempt, outcome: "ok", reason: req.reason, details });
  return executeApproved(ctx, req, user, origin);
}

async function executeApproved(
  ctx: EngineContext,
  req: RollbackRequest,
  user: SessionUser,
  origin?: AttemptOrigin,
): Promise<RollbackRequest> {
  const attempt = {
    user,
    action: "rollback.execute",
    target: `deployment:${req.deploymentId}`,
    origin,
    details: { requestId: req.id, service: req.service },
  };
  try {
    const dep = await rollbackDeployment(ctx, {
      deploymentId: req.deploymentId,
      reason: `${req.reason} (requested by ${req.requestedBy}, approved by ${user.username})`,
      by: user.username,
    });
    const result = `Traffic back on ${dep.fromSlot} (${dep.fromVersion}).`;
    transitionRequest(ctx.db, req.id, ["approved"], { status: "executed", result });
    auditAttempt(ctx.db, { ...attempt, outcome: "ok", reason: result });
    return getRollbackRequest(ctx.db, req.id);
  } catch (error) {
    const message =
      error instanceof AppError ? error.message : "The rollback failed; the details are in the server log.";
    transitionRequest(ctx.db, req.id, ["approved"], { status: "failed", result: message });
    auditAttempt(ctx.db, { ...attempt, outcome: "failed", reason: message });
    if (error instanceof AppError) throw error;
    throw new ConflictError(message, { cause: error });
  }
}
