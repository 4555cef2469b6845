import { and, asc, desc, eq, inArray, notInArray } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import {
  deployments,
  deploymentSteps,
  deploymentEvents,
  FINAL_STATUSES,
  type Deployment,
  type Phase,
  type StepStatus,
} from "@/lib/db/schema";
import { NotFoundError } from "@/lib/errors";
import { signalDeployment } from "./bus";

export function getDeployment(db: Db, id: string): Deployment {
  const row = db.select().from(deployments).where(eq(deployments.id, id)).get();
  if (!row) throw new NotFoundError(`Deployment ${id} does not exist.`);
  return row;
}

export function findDeployment(db: Db, id: string): Deployment | undefined {
  return db.select().from(deployments).where(eq(deployments.id, id)).get();
}

/** Writes what a phase learned (digest, container, switch time...). Never `status`: that is lifecycle.ts's enter(). */
export function updateDeployment(db: Db, id: string, patch: Partial<Omit<Deployment, "id" | "status">>): Deployment {
  if ("status" in patch) throw new Error("A deployment's status changes only through lifecycle.ts's enter().");
  db.update(deployments)
    .set({ ...patch, updatedAt: Date.now() })
    .where(eq(deployments.id, id))
    .run();
  const row = getDeployment(db, id);
  signalDeployment({ deploymentId: id, service: row.service });
  return row;
}

export function unfinishedDeployments(db: Db): Deployment[] {
  return db
    .select()
    .from(deployments)
    .where(notInArray(deployments.status, [...FINAL_STATUSES]))
    .orderBy(asc(deployments.createdAt))
    .all();
}

export function listDeployments(db: Db, service?: string, limit = 50): Deployment[] {
  const q = db.select().from(deployments);
  return (service ? q.where(eq(deployments.service, service)) : q)
    .orderBy(desc(deployments.createdAt))
    .limit(limit)
    .all();
}

/**
 * The latest deployment that moved traffic and is not undone: its target is what serves. A failed one counts when
 * it had switched: its rollback was impossible, so its release still serves.
 */
export function servingDeployment(db: Db, service: string): Deployment | undefined {
  return db
    .select()
    .from(deployments)
    .where(
      and(
        eq(deployments.service, service),
        inArray(deployments.status, ["succeeded", "running", "rolling_back", "failed"]),
      ),
    )
    .orderBy(desc(deployments.createdAt))
    .all()
    .find((d) => d.switchedAt !== null);
}

export function startStep(db: Db, deploymentId: string, phase: Phase): number {
  const now = Date.now();
  const row = db
    .insert(deploymentSteps)
    .values({ deploymentId, phase, status: "running", startedAt: now })
    .returning({ id: deploymentSteps.id })
    .get();
  const dep = updateDeployment(db, deploymentId, { phase });
  signalDeployment({ deploymentId, service: dep.service });
  return row.id;
}

export function endStep(
  db: Db,
  stepId: number,
  outcome: { status: Exclude<StepStatus, "running">; summary: string; detail?: unknown },
): void {
  const step = db
    .update(deploymentSteps)
    .set({ status: outcome.status, summary: outcome.summary, detail: outcome.detail ?? null, endedAt: Date.now() })
    .where(eq(deploymentSteps.id, stepId))
    .returning({ deploymentId: deploymentSteps.deploymentId })
    .get();
  if (step) {
    const dep = getDeployment(db, step.deploymentId);
    signalDeployment({ deploymentId: step.deploymentId, service: dep.service });
  }
}

export function listSteps(db: Db, deploymentId: string) {
  return db
    .select()
    .from(deploymentSteps)
    .where(eq(deploymentSteps.deploymentId, deploymentId))
    .orderBy(asc(deploymentSteps.id))
    .all();
}

export function addEvent(db: Db, deploymentId: string, level: "info" | "warn" | "error", message: string): void {
  db.insert(deploymentEvents).values({ deploymentId, at: Date.now(), level, message }).run();
}

export function listEvents(db: Db, deploymentId: string, afterId = 0) {
  return db
    .select()
    .from(deploymentEvents)
    .where(eq(deploymentEvents.deploymentId, deploymentId))
    .orderBy(asc(deploymentEvents.id))
    .all()
    .filter((e) => e.id > afterId);
}

/** What an interrupted step says once recovery has found it: the time is the restart's, in UTC. */
export const interruptedSummary = (at: number) => `interrupted by a restart at ${new Date(at).toISOString()}`;

/**
 * Closes steps a dead process left running: of one deployment, or (without `deploymentId`) of every deployment
 * already in a final state. Only steps started before `before`, so work this process began since is never touched.
 */
export function closeInterruptedSteps(db: Db, input: { deploymentId?: string; before: number; at?: number }): number {
  const at = input.at ?? Date.now();
  const summary = interruptedSummary(at);
  const sql = input.deploymentId
    ? `UPDATE deployment_steps SET status = 'failed', ended_at = @at, summary = @summary
       WHERE status = 'running' AND started_at < @before AND deployment_id = @id`
    : `UPDATE deployment_steps SET status = 'failed', ended_at = @at, summary = @summary
       WHERE status = 'running' AND started_at < @before
         AND deployment_id IN (SELECT id FROM deployments WHERE status IN (${FINAL_STATUSES.map((s) => `'${s}'`).join(", ")}))`;
  const params = { at, summary, before: input.before, ...(input.deploymentId ? { id: input.deploymentId } : {}) };
  return db.$client.prepare(sql).run(params).changes;
}
