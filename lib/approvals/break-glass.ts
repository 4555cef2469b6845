import { z } from "zod";
import type { SessionUser } from "@/lib/auth/types";
import type { Deployment } from "@/lib/db/schema";
import { serviceOf, type EngineContext } from "@/lib/deploy/context";
import { rollbackDeployment } from "@/lib/deploy/rollback";
import { AppError, ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { auditAttempt, refuse } from "./audit";
import { rollbackReason, type AttemptOrigin } from "./policy";
import { supersedePending } from "./supersede";
import { rollbackTarget } from "./target";

const breakGlassInput = z.object({ service: z.string().min(1), reason: rollbackReason });

const ACTION = "rollback.break_glass";

/**
 * An admin rolls back at once, without a second person, when the service's config allows it
 * (`rollback.breakGlass`). Loud on purpose: an audit entry, a notification, and the reason on the deployment.
 */
export async function breakGlassRollback(
  ctx: EngineContext,
  raw: z.input<typeof breakGlassInput>,
  user: SessionUser,
  origin?: AttemptOrigin,
): Promise<Deployment> {
  const attempt = { user, action: ACTION, target: `service:${String(raw.service).slice(0, 100)}`, origin };
  if (user.role !== "admin")
    throw refuse(ctx.db, attempt, new ForbiddenError(`Break-glass rollback is for admins only; you are ${user.role}.`));
  const parsed = breakGlassInput.safeParse(raw);
  if (!parsed.success)
    throw refuse(ctx.db, attempt, new ValidationError(`reason: ${parsed.error.issues[0]?.message ?? "invalid"}`));
  const { service: name, reason } = parsed.data;
  let dep: Deployment;
  try {
    const service = serviceOf(ctx, name);
    if (!service.rollback.breakGlass)
      throw new ForbiddenError(
        `Break-glass rollback is turned off for ${name} (rollback.breakGlass in greenlight.yaml); request an approved rollback.`,
      );
    dep = await rollbackTarget(ctx, name);
  } catch (error) {
    if (error instanceof AppError) throw refuse(ctx.db, attempt, error);
    throw error;
  }
  const details = { deploymentId: dep.id, from: dep.version, to: dep.fromVersion };
  supersedePending(ctx.db, name, `break-glass rollback by ${user.username}`);
  ctx.notify?.({
    kind: "rollback_started",
    service: name,
    deploymentId: dep.id,
    message: `BREAK-GLASS: ${user.username} is rolling ${name} back to ${dep.fromVersion} without approval: ${reason}`,
    detail: { breakGlass: true, by: user.username },
  });
  try {
    const done = await rollbackDeployment(ctx, {
      deploymentId: dep.id,
      reason: `BREAK-GLASS by ${user.username}: ${reason}`,
      by: user.username,
    });
    auditAttempt(ctx.db, { ...attempt, outcome: "ok", reason, details: { ...details, breakGlass: true } });
    return done;
  } catch (error) {
    const message =
      error instanceof AppError ? error.message : "The rollback failed; the details are in the server log.";
    auditAttempt(ctx.db, {
      ...attempt,
      outcome: "failed",
      reason: `${reason} — ${message}`,
      details: { ...details, breakGlass: true },
    });
    if (error instanceof AppError) throw error;
    throw new ConflictError(message, { cause: error });
  }
}
