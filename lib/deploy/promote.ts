import { assertMayDrive } from "./lease";
import { ConflictError } from "@/lib/errors";
import type { EngineContext } from "./context";
import { enter, type Actor } from "./lifecycle";
import { advanceSplit } from "./advance-split";
import { launchPipeline } from "./pipeline";
import { getDeployment } from "./store";

/** Continues a deployment waiting at the gate (or, in weighted steps, sends it 100 %). Of two clicks at once exactly one promotes; the other is told why not. */
export function promoteDeployment(
  ctx: EngineContext,
  id: string,
  by: string,
  actor?: Actor,
): { pipeline: Promise<void> } {
  const dep = getDeployment(ctx.db, id);
  assertMayDrive(ctx.db);
  // During weighted steps a promote skips the steps left: 100 % to the target, then the bake window.
  if (dep.status === "running" && dep.phase === "split") {
    advanceSplit(ctx, id, { how: "promote", by }, actor);
    return { pipeline: Promise.resolve() };
  }
  const waited = dep.gateReachedAt ? Math.round((Date.now() - dep.gateReachedAt) / 1000) : 0;
  const promoted = enter(ctx, id, "running", {
    from: ["awaiting_promotion"],
    patch: { promotedBy: by },
    closeStep: { phase: "gate", outcome: { status: "passed", summary: `promoted by ${by} after ${waited} s` } },
    event: { level: "info", message: `${by} promoted ${dep.version} to ${dep.toSlot}` },
    notify: { kind: "promoted", message: `${by} promoted ${dep.service} ${dep.version}` },
    ...(actor && { audit: { actor } }),
  });
  if (!promoted) {
    const now = getDeployment(ctx.db, id);
    throw new ConflictError(
      now.promotedBy
        ? `Deployment ${id} was already promoted by ${now.promotedBy}.`
        : `Deployment ${id} is ${now.status.replace("_", " ")}, not waiting for promotion.`,
    );
  }
  return { pipeline: launchPipeline(ctx, id, "switch") };
}
