import { checkHealthOnce } from "@/lib/checks/health";
import type { Slot } from "@/lib/config/schema";
import { serviceOf, slotUrl, type EngineContext } from "@/lib/deploy/context";
import { slotContainer } from "@/lib/deploy/live-slot";
import { listSteps, servingDeployment } from "@/lib/deploy/store";

export type RollbackReadiness = {
  service: string;
  deploymentId: string | null;
  fromSlot: Slot | null;
  fromVersion: string | null;
  oldColourRunning: boolean;
  oldColourHealthy: boolean;
  backupVerified: boolean;
  migrationCheckedAgainstOld: boolean;
  ready: boolean;
  /** What is missing, in words; empty when ready. */
  problems: string[];
};

type Rehearsal = { ok?: boolean; skipped?: string } | null | undefined;

/** Whether a rollback of the serving deployment would land on a warm, healthy colour whose data is safe. */
export async function rollbackReadiness(ctx: EngineContext, name: string): Promise<RollbackReadiness> {
  const service = serviceOf(ctx, name);
  const dep = servingDeployment(ctx.db, service.name);
  const base = {
    service: service.name,
    deploymentId: dep?.id ?? null,
    fromSlot: dep?.fromSlot ?? null,
    fromVersion: dep?.fromVersion ?? null,
  };
  const none = {
    oldColourRunning: false,
    oldColourHealthy: false,
    backupVerified: false,
    migrationCheckedAgainstOld: false,
    ready: false,
  };
  if (!dep) return { ...base, ...none, problems: ["no deployment serves traffic"] };
  if (!dep.fromSlot || !dep.fromVersion)
    return { ...base, ...none, problems: [`${dep.version} was a first install; there is no previous release`] };
  const problems: string[] = [];
  const old = await slotContainer(service.name, dep.fromSlot);
  const oldColourRunning = !!old?.running;
  if (!oldColourRunning) problems.push(`${dep.fromSlot} (${dep.fromVersion}) is ${old ? old.state : "gone"}`);
  let oldColourHealthy = false;
  if (oldColourRunning) {
    const health = await checkHealthOnce({
      url: `${slotUrl(service, dep.fromSlot)}${service.health.path}`,
      expectedVersion: dep.fromVersion,
      versionField: service.health.versionField,
      requestTimeoutMs: 1_500,
    });
    oldColourHealthy = health.ok;
    if (!health.ok) problems.push(`${dep.fromSlot} is not healthy: ${health.reason ?? "no answer"}`);
  }
  const steps = listSteps(ctx.db, dep.id);
  const last = (phase: string) => steps.filter((s) => s.phase === phase).at(-1);
  const backupVerified = last("backup")?.status === "passed";
  if (!backupVerified) problems.push("the deployment's backup step did not pass");
  const migrate = last("migrate");
  const rehearsal = (migrate?.detail as { rehearsal?: Rehearsal } | null | undefined)?.rehearsal;
  const migrationCheckedAgainstOld =
    migrate?.status === "skipped" || (migrate?.status === "passed" && !!rehearsal?.ok && !rehearsal.skipped);
  if (!migrationCheckedAgainstOld) problems.push(`the migration was not rehearsed against ${dep.fromVersion}`);
  if (dep.status === "rolling_back") problems.push("a rollback is already running");
  const ready =
    oldColourRunning &&
    oldColourHealthy &&
    backupVerified &&
    migrationCheckedAgainstOld &&
    dep.status !== "rolling_back";
  return { ...base, oldColourRunning, oldColourHealthy, backupVerified, migrationCheckedAgainstOld, ready, problems };
}
