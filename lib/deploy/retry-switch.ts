import { assertMayDrive } from "./lease";
import { ConflictError } from "@/lib/errors";
import type { EngineContext } from "./context";
import { utcMoment } from "./failure-kinds";
import { enter, type Actor } from "./lifecycle";
import { launchPipeline } from "./pipeline";
import { getDeployment } from "./store";

/**
 * "Retry the switch" of a deployment in switch_failed: its kept target's health and smoke are checked again, then
 * the pipeline switches, verifies and watches as after a promote. Backup and migration are not run again (the
 * migrations are applied and recorded). Of two clicks at once exactly one retries; the other is told why not.
 */
export function retrySwitch(ctx: EngineContext, id: string, by: string, actor?: Actor): { pipeline: Promise<void> } {
  const dep = getDeployment(ctx.db, id);
  assertMayDrive(ctx.db);
  if (dep.status === "switch_failed" && dep.keptUntil !== null && dep.keptUntil <= Date.now())
    throw new ConflictError(
      `The target of ${id} was kept until ${utcMoment(dep.keptUntil)} and is being removed; deploy ${dep.version} again.`,
    );
  const retried = enter(ctx, id, "running", {
    from: ["switch_failed"],
    patch: { keptUntil: null, error: null },
    event: { level: "info", message: `${by} retries the switch to ${dep.toSlot} (${dep.version})` },
    ...(actor && { audit: { actor } }),
  });
  if (!retried) {
    const now = getDeployment(ctx.db, id);
    throw new ConflictError(
      `Deployment ${id} is ${now.status.replace(/_/g, " ")}; only a deployment whose switch failed can retry it.`,
    );
  }
  return { pipeline: launchPipeline(ctx, id, "recheck") };
}
