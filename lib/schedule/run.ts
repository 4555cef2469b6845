import { logger } from "@/lib/log";
import type { ScheduledDeployment } from "@/lib/db/schema";
import { serviceOf, type EngineContext } from "@/lib/deploy/context";
import { readLiveState } from "@/lib/deploy/live-slot";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { publicMessage } from "@/lib/errors";
import { processWide } from "@/lib/process-wide";
import { renderAnnouncement } from "./announcement";
import { utcText } from "./moment";
import { preflightAlone } from "./preflight-alone";
import { getSchedule, pendingSchedules, updateSchedule } from "./store";

const log = logger("schedule");

/** Past its moment by more than this, a waiting schedule was missed (Greenlight was down), never started late. */
export const MISSED_AFTER_MS = 120_000;

/** Schedules whose T-0 preflight runs in this process: any other `starting` row was left by a process that died. */
const inFlight = processWide("schedules-starting", () => new Set<string>());

const what = (s: ScheduledDeployment) => `${s.service} ${s.version} scheduled for ${utcText(s.at)}`;

/**
 * One pass of the scheduler, on the engine's tick (only the engine holder runs it): for each pending schedule, in
 * order, the missed-window policy, the T-0 start, the announcement and the preflight that are due at `now`.
 */
export async function runSchedules(ctx: EngineContext, now = Date.now()): Promise<void> {
  for (const schedule of pendingSchedules(ctx.db)) {
    try {
      await advance(ctx, schedule, now);
    } catch (error) {
      log.error({ err: error, scheduleId: schedule.id }, `schedule ${schedule.id}: ${(error as Error).message}`);
    }
  }
}

async function advance(ctx: EngineContext, s: ScheduledDeployment, now: number): Promise<void> {
  if (s.status === "missed" || inFlight.has(s.id)) return;
  const interrupted = s.status === "starting";
  if (interrupted || now > s.at + MISSED_AFTER_MS) return missWindow(ctx, s, now, interrupted);
  if (now >= s.at) {
    await startScheduled(ctx, s, ["scheduled"], now);
    return;
  }
  const plan = serviceOf(ctx, s.service).schedule;
  if (!s.preflightAt && now >= s.at - plan.preflightMinutes * 60_000) await earlyPreflight(ctx, s, now);
  if (!s.announcedAt && now >= s.at - plan.announceMinutes * 60_000)
    await announce(ctx, getSchedule(ctx.db, s.id), now);
}

async function earlyPreflight(ctx: EngineContext, s: ScheduledDeployment, now: number): Promise<void> {
  const verdict = await preflightAlone(ctx, s);
  const written = updateSchedule(
    ctx.db,
    s.id,
    ["scheduled"],
    { preflightAt: now, preflightStatus: verdict.status, preflightSummary: verdict.summary.slice(0, 2000) },
    now,
  );
  if (!written) return;
  const minutes = Math.round((s.at - now) / 60_000);
  ctx.notify?.({
    kind: verdict.status === "failed" ? "schedule_failed" : "schedule_preflight",
    service: s.service,
    message:
      verdict.status === "failed"
        ? `Preflight for ${what(s)} (T-${minutes} min) failed: ${verdict.summary}. It will not start unless the preflight at T-0 passes.`
        : `Preflight for ${what(s)} (T-${minutes} min) ${verdict.status}: ${verdict.summary}.`,
    detail: { scheduleId: s.id, preflight: verdict.status },
  });
}

async function announce(ctx: EngineContext, s: ScheduledDeployment, now: number): Promise<void> {
  const service = serviceOf(ctx, s.service);
  let fromVersion: string | null = null;
  try {
    fromVersion = (await readLiveState(ctx, service))?.version ?? null;
  } catch (error) {
    log.warn(`announcement of ${s.id}: the live version could not be read: ${publicMessage(error)}`);
  }
  if (!updateSchedule(ctx.db, s.id, ["scheduled"], { announcedAt: now }, now)) return;
  const message = renderAnnouncement(service.schedule.announcement, {
    service: s.service,
    version: s.version ?? s.image,
    fromVersion,
    image: s.image,
    at: s.at,
    by: s.createdBy,
  });
  ctx.notify?.({ kind: "schedule_announcement", service: s.service, message, detail: { scheduleId: s.id } });
}

/** The moment passed while nobody drove: wait for a release manager (ask), or cancel with an alert (skip). */
function missWindow(ctx: EngineContext, s: ScheduledDeployment, now: number, interrupted: boolean): void {
  const policy = serviceOf(ctx, s.service).schedule.missed;
  const why = interrupted
    ? `Greenlight stopped while the preflight at T-0 of ${what(s)} ran`
    : `${what(s)} was missed: Greenlight was not running at ${utcText(s.at)}`;
  const reason =
    policy === "ask"
      ? `${why}; it waits for a release manager to start or cancel it.`
      : `${why}; cancelled by the service's skip policy.`;
  const status = policy === "ask" ? "missed" : "cancelled";
  if (!updateSchedule(ctx.db, s.id, ["scheduled", "starting"], { status, reason }, now)) return;
  ctx.notify?.({
    kind: "schedule_missed",
    service: s.service,
    message: reason,
    detail: { scheduleId: s.id, policy },
  });
}

/**
 * T-0: a fresh preflight, then the deployment only if it passed. The schedule is claimed first (`from` ->
 * starting), so the tick and a person's start of a missed window never both start it. Returns the schedule as it
 * ended: started with its deployment, or failed with why.
 */
export async function startScheduled(
  ctx: EngineContext,
  s: ScheduledDeployment,
  from: ScheduledDeployment["status"][],
  now = Date.now(),
): Promise<ScheduledDeployment> {
  if (!updateSchedule(ctx.db, s.id, from, { status: "starting" }, now)) return getSchedule(ctx.db, s.id);
  inFlight.add(s.id);
  try {
    const verdict = await preflightAlone(ctx, s);
    if (verdict.status === "failed") return fail(ctx, s, `the preflight at T-0 failed: ${verdict.summary}`);
    const result = await startDeployment(
      ctx,
      { service: s.service, image: s.image, version: s.version ?? undefined, autoPromote: s.autoPromote },
      s.createdBy,
    ).catch((error: unknown) => ({ refused: publicMessage(error) }));
    if ("refused" in result) return fail(ctx, s, `the deployment was refused: ${result.refused}`);
    if (result.noop) return fail(ctx, s, `nothing to deploy: ${result.message}`);
    updateSchedule(ctx.db, s.id, ["starting"], { status: "started", deploymentId: result.deploymentId }, Date.now());
    void result.pipeline.catch((error: unknown) =>
      log.error({ err: error, deploymentId: result.deploymentId }, `pipeline: ${(error as Error).message}`),
    );
    return getSchedule(ctx.db, s.id);
  } finally {
    inFlight.delete(s.id);
  }
}

function fail(ctx: EngineContext, s: ScheduledDeployment, why: string): ScheduledDeployment {
  const reason = `${what(s)} did not start: ${why}`.slice(0, 2000);
  updateSchedule(ctx.db, s.id, ["starting"], { status: "failed", reason }, Date.now());
  ctx.notify?.({ kind: "schedule_failed", service: s.service, message: reason, detail: { scheduleId: s.id } });
  return getSchedule(ctx.db, s.id);
}
