import path from "node:path";
import { getConfig } from "@/lib/config/load";
import { dataDir, getDb } from "@/lib/db/client";
import type { EngineContext } from "./context";
import { metricsEvaluator } from "./metrics-evaluator";
import { acquireLease, heartbeatLeases, INSTANCE, readLease, describeLease } from "./lease";
import { recoverDeployments } from "./recovery";
import { expireRequests } from "@/lib/approvals/expire-requests";
import { checkWarmSlots, expirePreviews, expireWarmSlots, pruneOldImages } from "./retention";

const ENGINE_LEASE = "engine";
const TICK_MS = 5_000;

type Engine = { ctx: EngineContext; stop: () => void; driving: boolean };

const g = globalThis as unknown as { __greenlightEngine?: Engine; __greenlightCtx?: EngineContext };

/** The process-wide context over GREENLIGHT_DATA_DIR and greenlight.yaml. */
export function getEngineContext(): EngineContext {
  g.__greenlightCtx ??= { db: getDb(), config: getConfig(), dataDir: path.resolve(dataDir()), watchEvaluator: metricsEvaluator };
  return g.__greenlightCtx;
}

export function setNotifier(notify: EngineContext["notify"]): void {
  getEngineContext().notify = notify;
}

/** Runs a job, keeping its failure in the log instead of killing the scheduler. */
async function guarded(name: string, job: () => Promise<unknown>) {
  try {
    await job();
  } catch (error) {
    console.error(`[greenlight] ${name} failed:`, (error as Error).message);
  }
}

/**
 * Starts the engine once per process: takes the engine lease (a second process on the same database serves the UI
 * but drives nothing), recovers interrupted deployments, then keeps leases alive and runs retention on a timer.
 */
export async function startEngine(ctx: EngineContext = getEngineContext()): Promise<Engine> {
  if (g.__greenlightEngine) return g.__greenlightEngine;
  try {
    acquireLease(ctx.db, { name: ENGINE_LEASE, holder: INSTANCE, reason: `engine pid ${process.pid}`, ttlMs: 30_000 });
  } catch {
    const lease = readLease(ctx.db, ENGINE_LEASE);
    console.warn(`[greenlight] another engine drives deployments (${lease ? describeLease(lease) : "unknown"}); this process serves the UI only`);
    g.__greenlightEngine = { ctx, stop: () => {}, driving: false };
    return g.__greenlightEngine;
  }
  const actions = await recoverDeployments(ctx);
  for (const a of actions) console.log(`[greenlight] recovery: ${a.deploymentId} ${a.action} (${a.detail})`);
  let ticks = 0;
  let busy = false;
  let timer: NodeJS.Timeout;
  const tick = async () => {
    // Leases first and on every tick, whatever the jobs below are doing: a slow Docker call never lets them lapse.
    try {
      heartbeatLeases(ctx.db, 60_000);
      acquireLease(ctx.db, { name: ENGINE_LEASE, holder: INSTANCE, reason: `engine pid ${process.pid}`, ttlMs: 30_000 });
    } catch (error) {
      console.error(`[greenlight] this process lost the engine lease and stops driving deployments: ${(error as Error).message}`);
      clearInterval(timer);
      if (g.__greenlightEngine) g.__greenlightEngine.driving = false;
      return;
    }
    if (busy) return;
    busy = true;
    ticks++;
    try {
      await guarded("preview expiry", () => expirePreviews(ctx));
      await guarded("rollback request expiry", async () => expireRequests(ctx));
      if (ticks % 12 === 0) await guarded("warm slot retention", () => expireWarmSlots(ctx));
      const hourly = Math.max(1, Math.round((Math.min(...ctx.config.services.map((s) => s.retention.healthCheckMinutes)) * 60_000) / TICK_MS));
      if (ticks % hourly === 0) await guarded("warm slot health", () => checkWarmSlots(ctx));
      if (ticks % 720 === 1) await guarded("image pruning", () => pruneOldImages(ctx));
    } finally {
      busy = false;
    }
  };
  timer = setInterval(() => void tick(), TICK_MS);
  timer.unref();
  g.__greenlightEngine = { ctx, stop: () => clearInterval(timer), driving: true };
  return g.__greenlightEngine;
}
