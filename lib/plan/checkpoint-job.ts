import { and, asc, eq } from "drizzle-orm";
import type { ServiceConfig } from "@/lib/config/schema";
import { deploymentCheckpoints, type Deployment, type DeploymentCheckpoint } from "@/lib/db/schema";
import type { Db } from "@/lib/db/client";
import { containerLogs } from "@/lib/docker/containers";
import { addToTally, emptyTally, reportOfTally } from "@/lib/metrics/daily-report";
import { loadRange } from "@/lib/metrics/query-window";
import { trafficDriver } from "@/lib/traffic";
import type { EngineContext } from "@/lib/deploy/context";
import { addEvent, servingDeployment } from "@/lib/deploy/store";
import { planItems, type PlanItem } from "./items";
import { judgeItem, type JudgeInputs, type Judgement } from "./judge";

/** Metrics of the last seconds are still being flushed: an item is judged this long after it falls due. */
export const SETTLE_MS = 5_000;
/** A health probe says something about the moment it is made: later than this after the due time it is not made. */
const HEALTH_PROBE_GRACE_MS = 60_000;
const LOG_LINES_CAP = 10_000;

export function checkpointsOf(db: Db, deploymentId: string): DeploymentCheckpoint[] {
  return db
    .select()
    .from(deploymentCheckpoints)
    .where(eq(deploymentCheckpoints.deploymentId, deploymentId))
    .orderBy(asc(deploymentCheckpoints.dueAt))
    .all();
}

async function errorLogLines(service: ServiceConfig, dep: Deployment, item: PlanItem) {
  if (!dep.targetContainer) return { value: null, why: "the deployment recorded no container" };
  try {
    const text = await containerLogs(dep.targetContainer, {
      since: Math.floor(item.windowFrom / 1000),
      until: Math.ceil(item.windowTo / 1000),
      tail: LOG_LINES_CAP,
    });
    const pattern = new RegExp(service.preflight.logErrorPattern, "i");
    return { value: text.split("\n").filter((line) => pattern.test(line)).length, why: undefined };
  } catch (error) {
    return { value: null, why: `the live colour's log could not be read: ${(error as Error).message}` };
  }
}

async function gather(
  ctx: EngineContext,
  service: ServiceConfig,
  dep: Deployment,
  item: PlanItem,
  now: number,
): Promise<JudgeInputs> {
  const from = Math.floor(item.windowFrom / 1000);
  const to = Math.floor(item.windowTo / 1000);
  // Long windows (the daily report) reach past the per-second retention: loadRange reads the minutes there.
  const rollups = loadRange(ctx.db, service.name, from, to, item.kind === "daily").filter((r) => r.slot === dep.toSlot);
  const input: JudgeInputs = { rollups, errorLogLines: null, health: null, unavailable: {} };
  if (item.checks.includes("error_logs")) {
    const logs = await errorLogLines(service, dep, item);
    input.errorLogLines = logs.value;
    if (logs.why) input.unavailable!.errorLogLines = logs.why;
  }
  if (item.checks.includes("health")) {
    if (now - item.dueAt > HEALTH_PROBE_GRACE_MS) {
      input.unavailable!.health = `judged ${Math.round((now - item.dueAt) / 60_000)} min after it fell due (Greenlight was not driving), so a probe now says nothing about then`;
    } else {
      const driver = trafficDriver(ctx.config, service);
      const probe = await driver.verify(dep.toSlot, dep.version, { deadlineMs: 3_000 });
      input.health = probe.ok
        ? { ok: true, detail: "" }
        : {
            ok: false,
            detail:
              `through ${driver.label}: ${probe.lastStatus ?? "no answer"} ${probe.lastVersion ?? ""}${probe.lastError ? ` (${probe.lastError})` : ""}`.trim(),
          };
    }
  }
  return input;
}

/** The daily report's figures as the seed's plan reads them, added to the verdict's summary. */
function dailyFigures(input: JudgeInputs, item: PlanItem): string {
  const from = Math.floor(item.windowFrom / 1000);
  const to = Math.floor(item.windowTo / 1000);
  const r = reportOfTally(addToTally(emptyTally(), input.rollups, from, to), from, to);
  const pct = (n: number | null, d = 3) => (n === null ? "n/a" : `${n.toFixed(d)} %`);
  const msText = (n: number | null) => (n === null ? "n/a" : `${Math.round(n)} ms`);
  return (
    ` Total requests ${r.requests.toLocaleString("en-US")}, successful ${r.successful.toLocaleString("en-US")} (${pct(r.successPercent)}),` +
    ` failed ${r.failed.toLocaleString("en-US")}, average ${msText(r.avgMs)}, p95 ${msText(r.p95Ms)}, uptime ${pct(r.uptimePercent, 2)}.`
  );
}

function record(ctx: EngineContext, dep: Deployment, item: PlanItem, judged: Judgement, now: number): boolean {
  const sqlite = ctx.db.$client;
  return sqlite.transaction(() => {
    const inserted = ctx.db
      .insert(deploymentCheckpoints)
      .values({
        deploymentId: dep.id,
        key: item.key,
        kind: item.kind,
        name: item.name,
        dueAt: item.dueAt,
        windowFrom: item.windowFrom,
        windowTo: item.windowTo,
        status: judged.status,
        summary: judged.summary,
        checks: judged.checks,
        judgedAt: now,
      })
      .onConflictDoNothing()
      .run();
    // Written once: the notification goes out in the same transaction, so a restart neither repeats nor loses it.
    if (inserted.changes === 0) return false;
    addEvent(
      ctx.db,
      dep.id,
      judged.status === "failed" ? "error" : judged.status === "passed" ? "info" : "warn",
      judged.summary,
    );
    ctx.notify?.({
      kind: judged.status === "failed" ? "checkpoint_failed" : "checkpoint_judged",
      service: dep.service,
      deploymentId: dep.id,
      message:
        judged.status === "failed"
          ? `${dep.service} ${dep.version}: ${judged.summary} The old colour ${dep.fromSlot ?? "?"} can be brought back by an approved rollback while it is warm.`
          : `${dep.service} ${dep.version}: ${judged.summary}`,
      detail: { checkpoint: item.key, status: judged.status },
    });
    return true;
  })();
}

/**
 * Judges every monitoring-plan item that has fallen due for the deployment each service serves now, once each.
 * A deployment that no longer serves (a later one switched, or it was rolled back) has no further items.
 */
export async function runDueCheckpoints(ctx: EngineContext, now: number = Date.now()): Promise<DeploymentCheckpoint[]> {
  const written: DeploymentCheckpoint[] = [];
  for (const service of ctx.config.services) {
    const dep = servingDeployment(ctx.db, service.name);
    if (!dep || dep.status !== "succeeded" || dep.switchedAt === null) continue;
    const done = new Set(checkpointsOf(ctx.db, dep.id).map((c) => c.key));
    for (const item of planItems(service.monitoring, dep.switchedAt)) {
      if (done.has(item.key) || item.dueAt + SETTLE_MS > now) continue;
      const input = await gather(ctx, service, dep, item, now);
      const judged = judgeItem(item, service.monitoring.limits, input);
      if (item.kind === "daily") judged.summary += dailyFigures(input, item);
      if (record(ctx, dep, item, judged, now))
        written.push(
          ctx.db
            .select()
            .from(deploymentCheckpoints)
            .where(and(eq(deploymentCheckpoints.deploymentId, dep.id), eq(deploymentCheckpoints.key, item.key)))
            .get()!,
        );
    }
  }
  return written;
}
