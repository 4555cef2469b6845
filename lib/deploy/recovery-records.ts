import { logger } from "@/lib/log";
import { and, eq, lt } from "drizzle-orm";
import { rollbackRequests } from "@/lib/db/schema/rollback-requests";
import type { EngineContext } from "./context";
import { holderGone } from "./holder";
import { INSTANCE, readLease, type Replaced } from "./lease";
import { closeInterruptedSteps, findDeployment, interruptedSummary, unfinishedDeployments } from "./store";

const log = logger("recovery");

export type ClosedRecords = { steps: number; requests: string[]; locks: Replaced[] };

/**
 * After recovery has resolved every deployment it drives: nothing a dead process left half-done stays open. Steps
 * still running under a finished deployment are closed as interrupted; a rollback request approved but never run
 * (its approver's process died) is executed if the deployment did roll back, else failed; a deploy lock whose
 * dead holder's deployment is over, or was never recorded, is released. Only records older than `before`.
 */
export function closeOpenRecords(ctx: EngineContext, before: number, now = Date.now()): ClosedRecords {
  const steps = closeInterruptedSteps(ctx.db, { before, at: now });
  const requests: string[] = [];
  const approved = ctx.db
    .select()
    .from(rollbackRequests)
    .where(and(eq(rollbackRequests.status, "approved"), lt(rollbackRequests.decidedAt, before)))
    .all();
  for (const req of approved) {
    const dep = findDeployment(ctx.db, req.deploymentId);
    const done = dep?.status === "rolled_back";
    ctx.db
      .update(rollbackRequests)
      .set(
        done
          ? {
              status: "executed",
              result: `Traffic back on ${dep.fromSlot} (${dep.fromVersion}); the rollback was finished by recovery after a restart.`,
            }
          : {
              status: "failed",
              result: `${interruptedSummary(now)} before the rollback ran; request it again if it is still needed.`,
            },
      )
      .where(and(eq(rollbackRequests.id, req.id), eq(rollbackRequests.status, "approved")))
      .run();
    requests.push(req.id);
  }
  const active = new Set(unfinishedDeployments(ctx.db).map((d) => d.id));
  const locks: Replaced[] = [];
  const rows = ctx.db.$client
    .prepare("SELECT name FROM leases WHERE name LIKE 'deploy:%' AND instance != ?")
    .all(INSTANCE) as Array<{ name: string }>;
  for (const { name } of rows) {
    const l = readLease(ctx.db, name);
    if (!l) continue;
    if (active.has(l.holder)) continue;
    const why = l.expiresAt <= now ? "its lease expired" : holderGone(l);
    if (!why) continue;
    ctx.db.$client.prepare("DELETE FROM leases WHERE name = ? AND instance = ?").run(name, l.instance);
    log.warn(
      { lock: name, holder: l.holder },
      `recovery released ${name} held by ${l.holder} (pid ${l.ownerPid}): ${why}`,
    );
    locks.push({ lease: l, why });
  }
  return { steps, requests, locks };
}
