import { logger } from "@/lib/log";
import { processSlot, processWide } from "@/lib/process-wide";
import { scheduledSelfBackup } from "@/lib/db/backup";
import path from "node:path";
import { getConfig } from "@/lib/config/load";
import { dataDir, getDb } from "@/lib/db/client";
import type { EngineContext } from "./context";
import { metricsEvaluator } from "./metrics-evaluator";
import {
  acquireLease,
  acquireOrTakeOver,
  heartbeatLeases,
  INSTANCE,
  readLease,
  describeLease,
  type Replaced,
} from "./lease";
import { recordAudit } from "@/lib/audit/record";
import { watchLiveColours } from "@/lib/incidents/watch-live";
import { ConflictError } from "@/lib/errors";
import { recoverDeployments } from "./recovery";
import { runSchedules } from "@/lib/schedule/run";
import { expireRequests } from "@/lib/approvals/expire-requests";
import { runDueCheckpoints } from "@/lib/plan/checkpoint-job";
import { checkWarmSlots, expireKeptTargets, expirePreviews, expireWarmSlots, pruneOldImages } from "./retention";

const log = logger("engine");

export const ENGINE_LEASE = "engine";
const TICK_MS = 5_000;

type Engine = { ctx: EngineContext; stop: () => void; driving: boolean; recovered: boolean };

const started = processSlot<Engine>("engine");

/** The process-wide context over GREENLIGHT_DATA_DIR and greenlight.yaml. */
export function getEngineContext(): EngineContext {
  return processWide<EngineContext>("engine-context", () => ({
    db: getDb(),
    config: getConfig(),
    dataDir: path.resolve(dataDir()),
    watchEvaluator: metricsEvaluator,
  }));
}

export function setNotifier(notify: EngineContext["notify"]): void {
  getEngineContext().notify = notify;
}

/** Runs a job, keeping its failure in the log instead of killing the scheduler. */
async function guarded(name: string, job: () => Promise<unknown>) {
  try {
    await job();
  } catch (error) {
    log.error({ err: error, job: name }, `${name} failed: ${(error as Error).message}`);
  }
}

const LEASE_TTL_MS = 30_000;
/** How often a standby process tries to take the engine lease: cheap (one SQLite read), so a takeover is prompt. */
const STANDBY_MS = 1_000;

type DriveHook = (ctx: EngineContext) => void;

function takeEngineLease(ctx: EngineContext): boolean {
  let replaced: Replaced | null;
  try {
    ({ replaced } = acquireOrTakeOver(ctx.db, {
      name: ENGINE_LEASE,
      holder: INSTANCE,
      reason: `engine pid ${process.pid}`,
      ttlMs: LEASE_TTL_MS,
    }));
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
  if (replaced) {
    const dead = replaced.lease;
    log.warn(
      `took over the engine from pid ${dead.ownerPid} (${dead.instance}) on ${dead.host ?? "an unknown host"}: ${replaced.why}`,
    );
    recordAudit(ctx.db, {
      actor: "greenlight",
      role: "system",
      action: "engine.takeover",
      target: "engine",
      reason: `took over from pid ${dead.ownerPid}: ${replaced.why}`,
      details: {
        pid: process.pid,
        instance: INSTANCE,
        previous: { pid: dead.ownerPid, instance: dead.instance, host: dead.host, heartbeatAt: dead.heartbeatAt },
      },
    });
  }
  return true;
}

/**
 * Starts the engine once per process. The process that holds the engine lease drives deployments: it recovers the
 * interrupted ones, keeps leases alive and runs retention on a timer. Any other process serves the UI and stands
 * by, trying the lease every second: it takes over as soon as the lease expires, or at once when its holder is
 * provably dead (same host, pid gone or reused). `onDrive` runs once, when this process starts driving.
 */
export async function startEngine(ctx: EngineContext = getEngineContext(), onDrive?: DriveHook): Promise<Engine> {
  const running = started.get();
  if (running) return running;
  const engine = started.set({ ctx, stop: () => {}, driving: false, recovered: false });
  if (takeEngineLease(ctx)) {
    await drive(engine, onceOnly(onDrive));
    return engine;
  }
  const lease = readLease(ctx.db, ENGINE_LEASE);
  log.warn(
    `another engine drives deployments (${lease ? describeLease(lease) : "unknown"}); this process serves the UI and takes over when that engine stops`,
  );
  standBy(engine, onceOnly(onDrive));
  return engine;
}

const onceOnly = (hook?: DriveHook): DriveHook | undefined => {
  let done = false;
  return hook && ((ctx) => (done ? undefined : ((done = true), hook(ctx))));
};

/** Tries the engine lease every second until this process has it, then drives. */
function standBy(engine: Engine, onDrive?: DriveHook): void {
  let taking = false;
  const standby = setInterval(() => {
    if (taking) return;
    taking = true;
    try {
      if (!takeEngineLease(engine.ctx)) return;
      clearInterval(standby);
      void drive(engine, onDrive).catch((error) =>
        log.error({ err: error }, `taking over the engine failed: ${(error as Error).message}`),
      );
    } catch (error) {
      log.error({ err: error }, `standby could not read the engine lease: ${(error as Error).message}`);
    } finally {
      taking = false;
    }
  }, STANDBY_MS);
  standby.unref();
  engine.stop = () => clearInterval(standby);
}

/** Whether this process drives deployments, and whether its recovery after start-up or a takeover has finished. */
export function engineState(): { driving: boolean; recovered: boolean } {
  const engine = started.get();
  return { driving: engine?.driving ?? false, recovered: engine?.recovered ?? false };
}

/** Recovery of what the previous engine left; a failure (Docker unreachable, say) is logged and retried next tick. */
async function recover(engine: Engine): Promise<void> {
  try {
    const actions = await recoverDeployments(engine.ctx);
    for (const a of actions)
      log.info({ deploymentId: a.deploymentId }, `recovery: ${a.deploymentId} ${a.action} (${a.detail})`);
    engine.recovered = true;
  } catch (error) {
    log.error(`recovery could not finish and is retried in ${TICK_MS / 1000} s: ${(error as Error).message}`);
  }
}

/** This process holds the engine lease: heartbeat from now on, recover what was interrupted, then the jobs. */
async function drive(engine: Engine, onDrive?: DriveHook): Promise<void> {
  const { ctx } = engine;
  engine.driving = true;
  engine.recovered = false;
  let ticks = 0;
  // Recovery counts as busy: the jobs wait for it, the lease heartbeat does not.
  let busy = true;
  let timer: NodeJS.Timeout;
  const tick = async () => {
    // Leases first and on every tick, whatever the jobs below are doing: a slow Docker call never lets them lapse.
    try {
      acquireLease(ctx.db, {
        name: ENGINE_LEASE,
        holder: INSTANCE,
        reason: `engine pid ${process.pid}`,
        ttlMs: LEASE_TTL_MS,
      });
      heartbeatLeases(ctx.db, 60_000);
    } catch (error) {
      // Another process took over (this one stalled past the lease): stop driving and stand by again.
      log.error(`this process lost the engine lease and stops driving deployments: ${(error as Error).message}`);
      clearInterval(timer);
      engine.driving = false;
      standBy(engine, onDrive);
      return;
    }
    if (busy) return;
    busy = true;
    try {
      if (!engine.recovered) await recover(engine);
      if (!engine.recovered) return;
      ticks++;
      await guarded("live colour check", () => watchLiveColours(ctx));
      await guarded("preview expiry", () => expirePreviews(ctx));
      await guarded("kept target expiry", () => expireKeptTargets(ctx));
      await guarded("rollback request expiry", async () => expireRequests(ctx));
      await guarded("monitoring plan", () => runDueCheckpoints(ctx));
      await guarded("scheduled deployments", () => runSchedules(ctx));
      if (ticks % 12 === 0) await guarded("warm slot retention", () => expireWarmSlots(ctx));
      if (ticks % 12 === 1)
        await guarded("own database backup", async () => {
          const selfBackup = ctx.config.selfBackup ?? { everyHours: 0, keep: 1 };
          const b = await scheduledSelfBackup({ dataDir: ctx.dataDir, selfBackup });
          if (b) log.info({ file: b.file, bytes: b.bytes, ms: b.ms }, `backed up Greenlight's database to ${b.file}`);
        });
      const hourly = Math.max(
        1,
        Math.round((Math.min(...ctx.config.services.map((s) => s.retention.healthCheckMinutes)) * 60_000) / TICK_MS),
      );
      if (ticks % hourly === 0) await guarded("warm slot health", () => checkWarmSlots(ctx));
      if (ticks % 720 === 1) await guarded("image pruning", () => pruneOldImages(ctx));
    } finally {
      busy = false;
    }
  };
  timer = setInterval(() => void tick(), TICK_MS);
  timer.unref();
  engine.stop = () => clearInterval(timer);
  onDrive?.(ctx);
  try {
    await recover(engine);
  } finally {
    busy = false;
  }
}
