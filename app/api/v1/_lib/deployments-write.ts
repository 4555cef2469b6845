import { z } from "zod";
import { ABORT_WAIT_MS, abortDeployment } from "@/lib/deploy/abort";
import type { Actor } from "@/lib/deploy/audit-verb";
import { deployLockName, readLease } from "@/lib/deploy/lease";
import { promoteDeployment } from "@/lib/deploy/promote";
import { retrySwitch } from "@/lib/deploy/retry-switch";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { getDeployment, unfinishedDeployments } from "@/lib/deploy/store";
import { explainFailure } from "@/lib/deploy/failure-kinds";
import { ConflictError } from "@/lib/errors";
import { releaseAttachmentFields } from "@/lib/release/attachments";
import type { EngineContext } from "@/lib/deploy/context";
import { assertCallerScope, authenticate, type ApiCaller } from "./authenticate";
import { guarded } from "./guarded";
import { deploymentLinks } from "./links";
import { deploymentIdParam, json, param, readBody, serviceParam } from "./respond";

export const createDeploymentBody = z.strictObject({
  image: z.string().min(1, "pick an image").max(300, "an image reference is at most 300 characters"),
  version: z.string().max(64).optional(),
  autoPromote: z.boolean().optional(),
  ...releaseAttachmentFields,
});

/** What a deployment verb needs to write its one audit row for an API caller. */
const actorOf = (caller: ApiCaller): Actor => ({
  username: caller.user.username,
  role: caller.user.role,
  via: "api",
  ...caller.origin,
});

/** Who holds the service's deploy lock, and which deployment is unfinished, for a 409. */
function conflictDetail(ctx: EngineContext, service: string) {
  const lease = readLease(ctx.db, deployLockName(service));
  const busy = unfinishedDeployments(ctx.db).find((d) => d.service === service);
  return {
    holder: lease
      ? { holder: lease.holder, reason: lease.reason, since: lease.acquiredAt, expiresAt: lease.expiresAt }
      : null,
    deployment: busy
      ? { id: busy.id, version: busy.version, status: busy.status, links: deploymentLinks(busy.id) }
      : null,
    failure: lease || busy ? explainFailure("lock_held") : null,
  };
}

export const createDeployment = guarded<{ service: string }>(
  async (req, params, ctx) => {
    const service = param(serviceParam, params.service, "service");
    const caller = authenticate(req, ctx, "release_manager", service);
    const body = await readBody(req, createDeploymentBody);
    try {
      const result = await startDeployment(ctx, { service, ...body }, caller.user.username, undefined, actorOf(caller));
      if (result.noop) return json({ noop: true, message: result.message });
      const dep = getDeployment(ctx.db, result.deploymentId);
      return json(
        {
          id: dep.id,
          service,
          version: dep.version,
          toSlot: dep.toSlot,
          status: dep.status,
          links: deploymentLinks(dep.id),
        },
        202,
        {
          location: deploymentLinks(dep.id).self,
        },
      );
    } catch (error) {
      if (error instanceof ConflictError) throw Object.assign(error, { extra: conflictDetail(ctx, service) });
      throw error;
    }
  },
  { action: "deployment.start", target: (p) => `service:${String(p.service).slice(0, 100)}` },
);

/** Loads the deployment and refuses it when it is outside the caller's service scope. */
function scopedDeployment(ctx: EngineContext, caller: ApiCaller, rawId: string) {
  const dep = getDeployment(ctx.db, param(deploymentIdParam, rawId, "deployment id"));
  assertCallerScope(caller.user, dep.service);
  return dep;
}

/**
 * A release manager's verb on one deployment that continues its pipeline (promote, retry the switch): the verb
 * audits itself; the answer is 202 with the state it is in now.
 */
const continuing = (action: string, verb: typeof promoteDeployment) =>
  guarded<{ id: string }>(
    async (req, params, ctx) => {
      const caller = authenticate(req, ctx, "release_manager");
      const dep = scopedDeployment(ctx, caller, params.id);
      verb(ctx, dep.id, caller.user.username, actorOf(caller));
      return json({ id: dep.id, status: getDeployment(ctx.db, dep.id).status, links: deploymentLinks(dep.id) }, 202);
    },
    { action, target: (p) => `deployment:${String(p.id).slice(0, 64)}` },
  );

export const promote = continuing("deployment.promote", promoteDeployment);
export const retrySwitchHandler = continuing("deployment.retry_switch", retrySwitch);

export const abort = guarded<{ id: string }>(
  async (req, params, ctx) => {
    const caller = authenticate(req, ctx, "release_manager");
    const dep = scopedDeployment(ctx, caller, params.id);
    await abortDeployment(ctx, dep.id, caller.user.username, { actor: actorOf(caller), waitMs: ABORT_WAIT_MS });
    return json({ id: dep.id, status: getDeployment(ctx.db, dep.id).status, links: deploymentLinks(dep.id) });
  },
  { action: "deployment.abort", target: (p) => `deployment:${String(p.id).slice(0, 64)}` },
);

export { scopedDeployment };
