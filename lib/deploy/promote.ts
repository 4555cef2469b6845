import { assertMayDrive } from "./lease";
import { ConflictError } from "@/lib/errors";
import { deploymentSteps } from "@/lib/db/schema";
import { and, desc, eq } from "drizzle-orm";
import type { EngineContext } from "./context";
import { launchPipeline } from "./pipeline";
import { addEvent, endStep, getDeployment, transition } from "./store";

/** Continues a deployment waiting at the gate. Of two clicks at once exactly one promotes; the other is told why not. */
export function promoteDeployment(ctx: EngineContext, id: string, by: string): { pipeline: Promise<void> } {
  const dep = getDeployment(ctx.db, id);
  assertMayDrive(ctx.db);
  if (!transition(ctx.db, id, ["awaiting_promotion"], { status: "running", promotedBy: by })) {
    const now = getDeployment(ctx.db, id);
    throw new ConflictError(
      now.promotedBy
        ? `Deployment ${id} was already promoted by ${now.promotedBy}.`
        : `Deployment ${id} is ${now.status.replace("_", " ")}, not waiting for promotion.`,
    );
  }
  const gate = ctx.db
    .select()
    .from(deploymentSteps)
    .where(and(eq(deploymentSteps.deploymentId, id), eq(deploymentSteps.phase, "gate")))
    .orderBy(desc(deploymentSteps.id))
    .get();
  const waited = dep.gateReachedAt ? Math.round((Date.now() - dep.gateReachedAt) / 1000) : 0;
  if (gate) endStep(ctx.db, gate.id, { status: "passed", summary: `promoted by ${by} after ${waited} s` });
  addEvent(ctx.db, id, "info", `${by} promoted ${dep.version} to ${dep.toSlot}`);
  ctx.notify?.({
    kind: "promoted",
    service: dep.service,
    deploymentId: id,
    message: `${by} promoted ${dep.service} ${dep.version}`,
  });
  return { pipeline: launchPipeline(ctx, id, "switch") };
}
