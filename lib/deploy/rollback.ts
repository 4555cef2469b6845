import { pollHealth } from "@/lib/checks/health";
import { getDocker } from "@/lib/docker/client";
import { waitForOldWorkers } from "@/lib/nginx/drain";
import { switchUpstream } from "@/lib/nginx/switch-upstream";
import type { Deployment } from "@/lib/db/schema";
import { ConflictError } from "@/lib/errors";
import { serviceOf, slotUrl, type EngineContext } from "./context";
import { cleanupTarget } from "./cleanup-target";
import { acquireLease, assertMayDrive, deployLockName, releaseLease } from "./lease";
import { slotContainer } from "./live-slot";
import { verifyServes } from "./phases/verify";
import { runningPipelines } from "./running";
import { addEvent, endStep, getDeployment, startStep, transition, updateDeployment } from "./store";
import { scrub } from "./secrets-of";

export type RollbackInput = {
  deploymentId: string;
  reason: string;
  by: string;
  automatic?: boolean;
  recovering?: boolean;
};

/**
 * Sends traffic back to the colour a deployment replaced: check the old colour, switch, verify through nginx,
 * let nginx's old workers drain, then stop the target. Two callers at once: one runs, the other gets a conflict.
 */
export async function rollbackDeployment(ctx: EngineContext, input: RollbackInput): Promise<Deployment> {
  if (!input.recovering) assertMayDrive(ctx.db);
  const dep = getDeployment(ctx.db, input.deploymentId);
  const service = serviceOf(ctx, dep.service);
  if (dep.status === "rolled_back") throw new ConflictError(`Deployment ${dep.id} was already rolled back.`);
  if (dep.status === "rolling_back" && !input.recovering)
    throw new ConflictError(`Deployment ${dep.id} is already rolling back.`);
  if (dep.switchedAt === null || !dep.fromSlot || !dep.fromVersion)
    throw new ConflictError(
      `Deployment ${dep.id} never moved traffic; there is nothing to roll back (abort it instead).`,
    );
  const old = await slotContainer(service.name, dep.fromSlot);
  if (!old)
    throw new ConflictError(
      `The ${dep.fromSlot} slot (${dep.fromVersion}) no longer exists, so there is nothing warm to roll back to. Deploy ${service.image}:${dep.fromVersion} as a new, fully checked deployment instead${dep.fromImage && dep.fromImage.includes("sha256:") ? ` (the image it ran: ${dep.fromImage})` : ""}.`,
    );
  acquireLease(ctx.db, {
    name: deployLockName(service.name),
    holder: dep.id,
    reason: `rollback of ${dep.version} by ${input.by}`,
  });
  // A failed deployment that had switched still serves (its earlier rollback was impossible): it may be retried.
  const from = input.recovering
    ? (["running", "succeeded", "failed", "rolling_back"] as const)
    : (["running", "succeeded", "failed"] as const);
  if (!transition(ctx.db, dep.id, from, { status: "rolling_back", rollbackReason: scrub(service, input.reason) }))
    throw new ConflictError(`Deployment ${dep.id} is already rolling back or finished.`);
  // A pipeline still watching this deployment stops: the rollback owns the record and the lock from here on.
  runningPipelines().get(dep.id)?.abort();
  ctx.notify?.({
    kind: "rollback_started",
    service: service.name,
    deploymentId: dep.id,
    message: `Rolling ${service.name} back to ${dep.fromVersion}: ${input.reason}`,
  });
  const stepId = startStep(ctx.db, dep.id, "rollback");
  const started = performance.now();
  let switched = false;
  try {
    if (!old.running) {
      await getDocker().getContainer(old.id).start();
      addEvent(ctx.db, dep.id, "warn", `${old.name} was ${old.state}; started it again`);
    }
    const health = await pollHealth({
      url: `${slotUrl(service, dep.fromSlot)}${service.health.path}`,
      expectedVersion: dep.fromVersion,
      versionField: service.health.versionField,
      firstIntervalMs: 50,
      maxIntervalMs: 1000,
      deadlineMs: 10_000,
    });
    if (!health.ok) throw new Error(`${dep.fromSlot} is not healthy: ${health.reason}`);
    await switchUpstream({
      nginx: ctx.config.nginx,
      service: service.name,
      slot: dep.fromSlot,
      port: service.slots[dep.fromSlot].port,
      version: dep.fromVersion,
      deploymentId: dep.id,
    });
    switched = true;
    const verified = await verifyServes(ctx, service, dep.fromSlot, dep.fromVersion);
    if (!verified.ok)
      throw new Error(
        `nginx does not serve ${dep.fromVersion} from ${dep.fromSlot} (last: ${verified.lastStatus ?? "no answer"}, ${verified.lastVersion ?? "?"})`,
      );
  } catch (error) {
    const message = scrub(service, `Rollback failed: ${(error as Error).message}`);
    endStep(ctx.db, stepId, { status: "failed", summary: message });
    // Before nginx was touched the release still serves: the record goes back to what it was, so it stays the
    // serving deployment (a pipeline that was watching finishes it as failed). After, where traffic is is unknown.
    if (switched) updateDeployment(ctx.db, dep.id, { status: "failed", error: message, finishedAt: Date.now() });
    else
      updateDeployment(ctx.db, dep.id, {
        status: dep.status === "rolling_back" ? "running" : dep.status,
        rollbackReason: null,
      });
    addEvent(ctx.db, dep.id, "error", message);
    ctx.notify?.({ kind: "rollback_failed", service: service.name, deploymentId: dep.id, message });
    releaseLease(ctx.db, deployLockName(service.name), dep.id);
    throw new ConflictError(message, { cause: error });
  }
  const trafficBackMs = performance.now() - started;
  // Traffic is verifiably back: whatever happens while draining and removing the target, the rollback is done.
  let cleanup: { summary: string; logs: string; ok: boolean };
  try {
    await waitForOldWorkers(ctx.config.nginx, { timeoutMs: 30_000 });
    const { removed, logs } = await cleanupTarget(service, dep.id);
    cleanup = { summary: `removed ${removed.join(", ") || "nothing"}`, logs, ok: true };
  } catch (error) {
    cleanup = {
      summary: `could not remove the target yet (${scrub(service, (error as Error).message)}); it is removed at the next start`,
      logs: "",
      ok: false,
    };
  }
  endStep(ctx.db, stepId, {
    status: cleanup.ok ? "passed" : "warning",
    summary: `traffic back on ${dep.fromSlot} (${dep.fromVersion}) in ${Math.round(trafficBackMs)} ms; ${cleanup.summary}`,
    detail: {
      trafficBackMs,
      automatic: !!input.automatic,
      by: input.by,
      logs: scrub(service, cleanup.logs).slice(-20_000),
    },
  });
  const done = updateDeployment(ctx.db, dep.id, { status: "rolled_back", finishedAt: Date.now(), oldSlotUntil: null });
  addEvent(ctx.db, dep.id, "warn", `Rolled back to ${dep.fromVersion} by ${input.by}: ${scrub(service, input.reason)}`);
  releaseLease(ctx.db, deployLockName(service.name), dep.id);
  ctx.notify?.({
    kind: "rolled_back",
    service: service.name,
    deploymentId: dep.id,
    message: `Rollback to ${dep.fromVersion} completed`,
    detail: { automatic: !!input.automatic },
  });
  return done;
}
