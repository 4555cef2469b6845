import { and, desc, eq, inArray } from "drizzle-orm";
import {
  deploymentEvents,
  deployments,
  deploymentSteps,
  FINAL_STATUSES,
  type Deployment,
  type DeploymentStatus,
  type Phase,
  type StepStatus,
} from "@/lib/db/schema";
import { serviceNamed } from "@/lib/notify/channels";
import { auditVerb, type VerbAudit } from "./audit-verb";
import { signalDeployment } from "./bus";
import type { EngineContext, NotifyEvent } from "./context";
import { deployLockName, releaseLease } from "./lease";
import { scrubDetail, scrub } from "./secrets-of";
import { getDeployment } from "./store";

/**
 * A deployment's life, declared once. Every change of `status` is one row of this table and goes through `enter()`
 * (or, for the first one, `START`): nothing else writes the column.
 *
 * - start: a new deployment is recorded as running (start-deployment.ts; a retry starts a new deployment too).
 * - gate: the pre-gate checks passed and it waits for a person (auto-promote skips the gate).
 * - promote: a person lets it continue to the switch.
 * - abort / fail / expire: it ends before traffic moved; its target is removed, the live colour never noticed.
 * - hold / retry_switch: nginx refused the switch for a reason outside the release; the target is kept until a person
 *   retries the switch (health and smoke again, no second backup or migration) or its time is up.
 * - advance: during weighted steps (the status stays running) a person continues the step being judged, or promotes
 *   to skip to 100 %; an abort during the steps is a rollback (back to 0 %), as a breach at any step is.
 * - finish: traffic moved and the watch window passed (or a rollback completed: rolled_back).
 * - rollback: traffic goes back to the colour it replaced; recover resumes one a dead process left rolling back.
 * - restore: a rollback failed before nginx was touched, so the record goes back to what it was.
 */
export const TRANSITIONS = [
  // running: the pipeline works through its phases (before the gate, or after a promote: switch, verify, watch).
  { from: "running", to: "awaiting_promotion", verb: "gate" },
  { from: "running", to: "succeeded", verb: "finish" },
  { from: "running", to: "failed", verb: "fail" },
  { from: "running", to: "aborted", verb: "abort" },
  { from: "running", to: "rolling_back", verb: "rollback" }, // switch, verify, a step or watch failed, or a person asked
  { from: "running", to: "running", verb: "advance" }, // weighted steps: a person continues a step or promotes to 100 %
  // awaiting_promotion: the target runs next to the live colour; nothing serves it until a promote.
  { from: "awaiting_promotion", to: "running", verb: "promote" },
  { from: "awaiting_promotion", to: "aborted", verb: "abort" },
  { from: "awaiting_promotion", to: "expired", verb: "expire" }, // nobody promoted it in time (retention.ts)
  { from: "awaiting_promotion", to: "failed", verb: "fail" }, // its target stopped (found by recovery)
  { from: "running", to: "switch_failed", verb: "hold" }, // the switch failed before traffic moved, not the release
  // switch_failed: nginx refused the switch (or was not running); the checked target is kept for a retry.
  { from: "switch_failed", to: "running", verb: "retry_switch" }, // health and smoke again, then the switch
  { from: "switch_failed", to: "aborted", verb: "abort" },
  { from: "switch_failed", to: "expired", verb: "expire" }, // nobody retried it in time (retention.ts)
  { from: "switch_failed", to: "failed", verb: "fail" }, // its target stopped (found by recovery)
  { from: "succeeded", to: "rolling_back", verb: "rollback" },
  { from: "failed", to: "rolling_back", verb: "rollback" }, // only one that had switched: it still serves
  // rolling_back: traffic goes back to the colour the deployment replaced.
  { from: "rolling_back", to: "rolling_back", verb: "recover" }, // a restart resumes it
  { from: "rolling_back", to: "rolled_back", verb: "finish" },
  { from: "rolling_back", to: "failed", verb: "fail" }, // after nginx was touched, or given up
  { from: "rolling_back", to: "running", verb: "restore" },
  { from: "rolling_back", to: "succeeded", verb: "restore" },
] as const satisfies ReadonlyArray<{ from: DeploymentStatus; to: DeploymentStatus; verb: string }>;

export type Transition = (typeof TRANSITIONS)[number];
export type Verb = Transition["verb"] | "start";
export type { Actor } from "./audit-verb";

/** The state every deployment is recorded in. */
export const START = { to: "running", verb: "start" } as const satisfies { to: DeploymentStatus; verb: Verb };

/** A finished deployment in one of these states may be retried (as a new deployment of the same image). */
export const RETRYABLE: readonly DeploymentStatus[] = ["failed", "aborted", "expired", "rolled_back"];

export const transitionOf = (from: DeploymentStatus, to: DeploymentStatus): Transition | undefined =>
  TRANSITIONS.find((t) => t.from === from && t.to === to);

type Patch = Partial<Omit<Deployment, "id" | "status" | "service" | "updatedAt">>;
type Outcome = { status: Exclude<StepStatus, "running">; summary: string; detail?: unknown };

export type Entry = {
  /** Narrower than the table: the states this caller may move the deployment from. */
  from?: readonly DeploymentStatus[];
  patch?: Patch;
  /** A step the change opens (left running unless `outcome` is given): the deployment's phase becomes its phase. */
  step?: { phase: Phase; outcome?: Outcome };
  /** A step the change closes: by id, or the latest one of a phase. */
  closeStep?: { id?: number; phase?: Phase; outcome: Outcome };
  event?: { level: "info" | "warn" | "error"; message: string };
  notify?: Omit<NotifyEvent, "service" | "deploymentId">;
  /** The deploy lock follows the state (a final state releases it) unless a caller says otherwise. */
  lease?: "release" | "keep";
  /** Who asked (a person through the console or the API): the change writes its one audit row. */
  audit?: VerbAudit;
};

export type Entered = { deployment: Deployment; stepId: number | null; transition: Transition };

/**
 * Moves deployment `id` to `to` if the table allows it from the state it is in now (and `entry.from`, when given,
 * names that state). In one transaction: the status with its patch, the step opened or closed, the event, the lock
 * released (final states) and the audit row, all scrubbed of the service's secrets. Then the change is signalled
 * and notified. Returns null, having written nothing, when the move is not allowed: the state changed meanwhile
 * (another click won) or the table has no such row.
 */
export function enter(ctx: EngineContext, id: string, to: DeploymentStatus, entry: Entry = {}): Entered | null {
  const before = getDeployment(ctx.db, id);
  const transition = transitionOf(before.status, to);
  if (!transition || (entry.from && !entry.from.includes(before.status))) return null;
  const stepId = record(ctx, before, transition, entry);
  if (stepId === false) return null;
  return { deployment: getDeployment(ctx.db, id), stepId, transition };
}

/**
 * Completes a final state entered with `lease: "keep"` (its target was being removed): closes that step, writes
 * the event, releases the lock and notifies, as enter() would have. The status does not change.
 */
export function settle(ctx: EngineContext, id: string, entry: Pick<Entry, "closeStep" | "event" | "notify">): void {
  record(ctx, getDeployment(ctx.db, id), null, { ...entry, lease: "release" });
}

/** The writes of a change, in one transaction; false when the status was no longer `before.status`. */
function record(
  ctx: EngineContext,
  before: Deployment,
  transition: Transition | null,
  entry: Entry,
): number | null | false {
  const id = before.id;
  const service = serviceNamed(ctx.config, before.service);
  const clean = (text: string) => (service ? scrub(service, text) : text);
  const cleanDetail = (detail: unknown) => (service ? scrubDetail(service, detail) : detail);
  const outcome = (o: Outcome) => ({
    status: o.status,
    summary: clean(o.summary),
    detail: cleanDetail(o.detail) ?? null,
  });
  const patch: Patch = { ...entry.patch };
  for (const key of ["error", "rollbackReason"] as const) if (patch[key]) patch[key] = clean(patch[key]);
  const to = transition?.to ?? before.status;
  const now = Date.now();
  const written = ctx.db.$client
    .transaction((): number | null | false => {
      const changed = ctx.db
        .update(deployments)
        .set({ ...patch, ...(entry.step && { phase: entry.step.phase }), status: to, updatedAt: now })
        .where(and(eq(deployments.id, id), inArray(deployments.status, [before.status])))
        .run().changes;
      if (changed !== 1) return false;
      let stepId: number | null = null;
      if (entry.step) {
        const o = entry.step.outcome && outcome(entry.step.outcome);
        stepId = ctx.db
          .insert(deploymentSteps)
          .values({
            deploymentId: id,
            phase: entry.step.phase,
            startedAt: now,
            ...(o ? { ...o, endedAt: now } : { status: "running" }),
          })
          .returning({ id: deploymentSteps.id })
          .get().id;
      }
      if (entry.closeStep)
        closeStep(ctx, id, entry.closeStep.id, entry.closeStep.phase, outcome(entry.closeStep.outcome));
      if (entry.event)
        ctx.db
          .insert(deploymentEvents)
          .values({ deploymentId: id, at: now, level: entry.event.level, message: clean(entry.event.message) })
          .run();
      if ((entry.lease ?? (FINAL_STATUSES.includes(to) ? "release" : "keep")) === "release")
        releaseLease(ctx.db, deployLockName(before.service), id);
      if (entry.audit && transition)
        auditVerb(
          ctx,
          { ...transition, id, service: before.service, version: before.version, from: before.status },
          entry.audit,
          now,
        );
      return stepId;
    })
    .immediate();
  if (written === false) return false;
  signalDeployment({ deploymentId: id, service: before.service });
  if (entry.notify)
    ctx.notify?.({
      ...entry.notify,
      message: clean(entry.notify.message),
      service: before.service,
      deploymentId: id,
      ...(entry.audit && { audited: true }),
    });
  return written;
}

function closeStep(
  ctx: EngineContext,
  deploymentId: string,
  stepId: number | undefined,
  phase: Phase | undefined,
  outcome: { status: Exclude<StepStatus, "running">; summary: string; detail: unknown },
): void {
  const id =
    stepId ??
    ctx.db
      .select({ id: deploymentSteps.id })
      .from(deploymentSteps)
      .where(and(eq(deploymentSteps.deploymentId, deploymentId), eq(deploymentSteps.phase, phase!)))
      .orderBy(desc(deploymentSteps.id))
      .get()?.id;
  if (id !== undefined)
    ctx.db
      .update(deploymentSteps)
      .set({ ...outcome, endedAt: Date.now() })
      .where(eq(deploymentSteps.id, id))
      .run();
}
