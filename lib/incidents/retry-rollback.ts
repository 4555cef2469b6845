import type { ServiceConfig } from "@/lib/config/schema";
import type { Deployment } from "@/lib/db/schema";
import { checkHealthOnce } from "@/lib/checks/health";
import { slotUrl, type EngineContext } from "@/lib/deploy/context";
import { slotContainer } from "@/lib/deploy/live-slot";
import { rollbackDeployment } from "@/lib/deploy/rollback";
import { addEvent } from "@/lib/deploy/store";
import type { LiveCheck } from "./check-live";
import { noteRetry, openIncidentOf, raiseIncident, resolveIncident } from "./store";

const MAX_ROLLBACK_RETRIES = 5;
const retryDelay = (attempt: number) => Math.min(15_000 * 2 ** attempt, 300_000);

/** What a rollback to the deployment's old colour needs and lacks right now, in words; null when nothing is missing. */
async function whatIsMissing(service: ServiceConfig, dep: Deployment, check: LiveCheck): Promise<string | null> {
  if (!check.ok && !check.docker) return "Docker does not answer";
  if (!check.ok && !check.nginx) return "nginx does not answer";
  const old = await slotContainer(service.name, dep.fromSlot!);
  if (!old) return `the old colour ${dep.fromSlot} (${dep.fromVersion}) no longer exists`;
  if (!old.running) return `the old colour's container ${old.name} is ${old.state}`;
  const health = await checkHealthOnce({
    url: `${slotUrl(service, dep.fromSlot!)}${service.health.path}`,
    expectedVersion: dep.fromVersion ?? undefined,
    versionField: service.health.versionField,
    requestTimeoutMs: 2000,
  });
  return health.ok
    ? null
    : `the old colour ${dep.fromSlot} (${dep.fromVersion}) is not healthy: ${health.reason ?? "no answer"}`;
}

/**
 * A failed release still serves because its rollback could not run: the service is marked "serving a failed
 * release" (raised once), and the rollback is tried again, at most MAX_ROLLBACK_RETRIES times with a growing pause,
 * as soon as Docker and nginx answer and the old colour is there and healthy. Until then the incident says exactly
 * what is missing.
 */
export async function retryFailedRollback(
  ctx: EngineContext,
  service: ServiceConfig,
  dep: Deployment,
  check: LiveCheck,
  now: number,
): Promise<"raised" | "waiting" | "rolled_back" | "given_up"> {
  const base = `serves ${dep.version}, a release that failed (${dep.error ?? "no reason recorded"})`;
  /** Raises (or updates) the service's "serving a failed release" incident; notifies once, when it opens. */
  const raise = (problem: string) => {
    const raised = raiseIncident(
      ctx.db,
      { service: service.name, kind: "failed_release", deploymentId: dep.id, problem },
      now,
    );
    if (raised.opened)
      ctx.notify?.({
        kind: "serving_failed_release",
        service: service.name,
        deploymentId: dep.id,
        message: `${service.name} ${base}`,
      });
    return raised;
  };
  if (!dep.fromSlot || !dep.fromVersion) {
    const { opened } = raise(
      `${base}; it was a first install, so there is no colour to roll back to. Deploy a fixed release.`,
    );
    return opened ? "raised" : "given_up";
  }
  const missing = await whatIsMissing(service, dep, check);
  const current = openIncidentOf(ctx.db, service.name);
  const attempts = current?.kind === "failed_release" && current.deploymentId === dep.id ? current.retryAttempts : 0;
  const exhausted = attempts >= MAX_ROLLBACK_RETRIES;
  const next = missing
    ? exhausted
      ? `the rollback was retried ${attempts} times; roll back to ${dep.fromSlot} through an approved request, or deploy ${dep.fromVersion} as a new deployment`
      : `the rollback to ${dep.fromSlot} (${dep.fromVersion}) is retried as soon as nothing is missing`
    : null;
  const problem = missing
    ? `${base}; the rollback cannot run yet: ${missing}; ${next}`
    : `${base}; retrying the rollback to ${dep.fromSlot} (${dep.fromVersion})`;
  const { incident, opened } = raise(problem);
  if (missing || exhausted || (incident.nextRetryAt !== null && incident.nextRetryAt > now))
    return opened ? "raised" : exhausted ? "given_up" : "waiting";
  noteRetry(ctx.db, incident.id, now + retryDelay(incident.retryAttempts), now);
  addEvent(
    ctx.db,
    dep.id,
    "warn",
    `Docker and nginx answer again and ${dep.fromSlot} is healthy: retrying the rollback (attempt ${incident.retryAttempts + 1} of ${MAX_ROLLBACK_RETRIES}).`,
  );
  try {
    await rollbackDeployment(ctx, {
      deploymentId: dep.id,
      reason: `retry of the rollback that could not run: ${dep.error ?? dep.version}`,
      by: "greenlight",
      automatic: true,
    });
  } catch (error) {
    raiseIncident(ctx.db, {
      service: service.name,
      kind: "failed_release",
      deploymentId: dep.id,
      problem: `${base}; retry ${incident.retryAttempts + 1} of the rollback failed: ${(error as Error).message}`,
    });
    return "waiting";
  }
  resolveIncident(ctx.db, service.name, `rolled back to ${dep.fromVersion} on ${dep.fromSlot} by a retry`, Date.now());
  return "rolled_back";
}
