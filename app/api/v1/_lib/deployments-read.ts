import { onDeploymentSignal } from "@/lib/deploy/bus";
import { deploymentSnapshot } from "@/lib/views/deployment-snapshot";
import { sseResponse } from "@/lib/views/sse";
import { listSteps } from "@/lib/deploy/store";
import { failureOfDeployment } from "@/lib/deploy/failure-kinds";
import { livePullProgress } from "@/lib/deploy/pull-progress";
import type { EngineContext } from "@/lib/deploy/context";
import { readAttachments } from "@/lib/release/attachments";
import { assertCallerScope, authenticate } from "./authenticate";
import { scopedDeployment } from "./deployments-write";
import { guarded } from "./guarded";
import { deploymentLinks } from "./links";
import { json } from "./respond";

export const getDeploymentHandler = guarded<{ id: string }>(async (req, params, ctx) => {
  const caller = authenticate(req, ctx, "viewer");
  const dep = scopedDeployment(ctx, caller, params.id);
  const steps = listSteps(ctx.db, dep.id);
  return json({
    deployment: dep,
    steps,
    failure: failureOfDeployment(dep, steps),
    pull: livePullProgress(dep.id),
    release: releaseOf(ctx, dep.id),
    links: deploymentLinks(dep.id),
  });
});

function releaseOf(ctx: EngineContext, id: string) {
  const a = readAttachments(ctx.db, id);
  return a && { notes: a.notes, testSummary: a.testSummary, testFailureOverride: a.testFailureOverride };
}

/** The deployment, its steps and events now and after every change (Server-Sent Events); refusals get a real status. */
export const deploymentEvents = guarded<{ id: string }>(async (req, params, ctx) => {
  const caller = authenticate(req, ctx, "viewer");
  const { id, service } = scopedDeployment(ctx, caller, params.id);
  return sseResponse({
    signal: req.signal,
    // Each heartbeat asks again: a revoked or expired token, or a signed-out session, ends the stream.
    authorize: () => assertCallerScope(authenticate(req, ctx, "viewer").user, service),
    snapshot: () => deploymentSnapshot(ctx, id),
    subscribe: (onChange) => onDeploymentSignal((s) => s.deploymentId === id, onChange),
  });
});
