import { pollHealth } from "@/lib/checks/health";
import { startContainer } from "@/lib/docker/containers";
import { trafficDriver } from "@/lib/traffic";
import type { Deployment } from "@/lib/db/schema";
import { ConflictError } from "@/lib/errors";
import { serviceFor, slotUrl, type EngineContext } from "./context";
import { cleanupTarget } from "./cleanup-target";
import { acquireLease, assertMayDrive, deployLockName } from "./lease";
import { enter, type Actor } from "./lifecycle";
import { slotContainer } from "./live-slot";
import { verifyServes } from "./phases/verify";
import { runningPipelines } from "./running";
import { addEvent, getDeployment, updateDeployment } from "./store";
import { scrub } from "./secrets-of";

export type RollbackInput = {
  deploymentId: string;
  reason: string;
  by: string;
  automatic?: boolean;
  recovering?: boolean;
  /** Who asked, for the audit row (none for the engine's own rollbacks, which the notifier records). */
  actor?: Actor;
};

/**
 * Sends traffic back to the colour a deployment replaced: check the old colour, switch, verify through the load
 * balancer, let what is in flight to the target drain, then stop the target. Two callers at once: one runs, the other gets a conflict.
 */
export async function rollbackDeployment(ctx: EngineContext, input: RollbackInput): Promise<Deployment> {
  if (!input.recovering) assertMayDrive(ctx.db);
  const dep = getDeployment(ctx.db, input.deploymentId);
  const service = serviceFor(ctx, dep);
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
  // Recovery resumes a rollback a dead process left half-done.
  const claimed = enter(ctx, dep.id, "rolling_back", {
    from: input.recovering ? ["running", "succeeded", "failed", "rolling_back"] : ["running", "succeeded", "failed"],
    patch: { rollbackReason: input.reason },
    step: { phase: "rollback" },
    notify: {
      kind: "rollback_started",
      message: `Rolling ${service.name} back to ${dep.fromVersion}: ${input.reason}`,
    },
    ...(input.actor && { audit: { actor: input.actor, reason: input.reason } }),
  });
  if (!claimed) throw new ConflictError(`Deployment ${dep.id} is already rolling back or finished.`);
  // A pipeline still watching this deployment stops: the rollback owns the record and the lock from here on.
  runningPipelines().get(dep.id)?.abort();
  const stepId = claimed.stepId!;
  const driver = trafficDriver(ctx.config, service);
  const started = performance.now();
  let switched = false;
  try {
    if (!old.running) {
      await startContainer(old.id);
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
    await driver.apply({ slot: dep.fromSlot, version: dep.fromVersion, deploymentId: dep.id });
    switched = true;
    // A weighted promotion's record follows the load balancer: nothing goes to the target any more.
    if (dep.splitPercent !== null) updateDeployment(ctx.db, dep.id, { splitPercent: 0 });
    const verified = await verifyServes(ctx, service, dep.fromSlot, dep.fromVersion);
    if (!verified.ok)
      throw new Error(
        `${driver.label} does not serve ${dep.fromVersion} from ${dep.fromSlot} (last: ${verified.lastStatus ?? "no answer"}, ${verified.lastVersion ?? "?"})`,
      );
  } catch (error) {
    const message = scrub(service, `Rollback failed: ${(error as Error).message}`);
    // Before the load balancer was touched the release still serves: the record goes back to what it was, so it stays the
    // serving deployment (a pipeline that was watching finishes it as failed). After, where traffic is is unknown.
    const restored = dep.status === "rolling_back" ? "running" : dep.status;
    enter(ctx, dep.id, switched ? "failed" : restored, {
      patch: switched ? { error: message, finishedAt: Date.now() } : { rollbackReason: null },
      closeStep: { id: stepId, outcome: { status: "failed", summary: message } },
      event: { level: "error", message },
      notify: { kind: "rollback_failed", message },
      lease: "release",
    });
    throw new ConflictError(message, { cause: error });
  }
  const trafficBackMs = performance.now() - started;
  // Traffic is verifiably back: whatever happens while draining and removing the target, the rollback is done.
  let cleanup: { summary: string; logs: string; ok: boolean };
  try {
    await driver.drain(dep.toSlot, { timeoutMs: 30_000 });
    const { removed, logs } = await cleanupTarget(service, dep.id);
    cleanup = { summary: `removed ${removed.join(", ") || "nothing"}`, logs, ok: true };
  } catch (error) {
    cleanup = {
      summary: `could not remove the target yet (${scrub(service, (error as Error).message)}); it is removed at the next start`,
      logs: "",
      ok: false,
    };
  }
  const done = enter(ctx, dep.id, "rolled_back", {
    patch: { finishedAt: Date.now(), oldSlotUntil: null },
    closeStep: {
      id: stepId,
      outcome: {
        status: cleanup.ok ? "passed" : "warning",
        summary: `traffic back on ${dep.fromSlot} (${dep.fromVersion}) in ${Math.round(trafficBackMs)} ms; ${cleanup.summary}`,
        detail: { trafficBackMs, automatic: !!input.automatic, by: input.by, logs: cleanup.logs.slice(-20_000) },
      },
    },
    event: { level: "warn", message: `Rolled back to ${dep.fromVersion} by ${input.by}: ${input.reason}` },
    notify: {
      kind: "rolled_back",
      message: `Rollback to ${dep.fromVersion} completed`,
      detail: { automatic: !!input.automatic },
    },
  });
  if (!done) throw new ConflictError(`Deployment ${dep.id} changed state while rolling back.`);
  return done.deployment;
}
