import { processWide } from "@/lib/process-wide";
import { AppError } from "@/lib/errors";

export type CollectorName = "accessLog" | "dockerStats" | "dbErrors" | "store";
export type CollectorState = "idle" | "ok" | "error";

export type CollectorHealth = {
  state: CollectorState;
  /** Errors since start, and in a row (reset by the next success). */
  errors: number;
  consecutiveErrors: number;
  lastError: string | null;
  lastErrorAt: number | null;
  lastOkAt: number | null;
  /** Items handled (lines, samples, matches). */
  items: number;
};

export class CollectorError extends AppError {
  override readonly status = 503;
  override readonly code = "metrics_unavailable";
}

/** Consecutive failures after which a collector is in the "error" state. */
export const ERROR_LIMIT = 3;

const fresh = (): CollectorHealth => ({
  state: "idle",
  errors: 0,
  consecutiveErrors: 0,
  lastError: null,
  lastErrorAt: null,
  lastOkAt: null,
  items: 0,
});
const freshTable = (): Record<CollectorName, CollectorHealth> => ({
  accessLog: fresh(),
  dockerStats: fresh(),
  dbErrors: fresh(),
  store: fresh(),
});
const status = () => processWide("collector-status", () => ({ table: freshTable(), running: 0 }));
const table = () => status().table;

/** A copy of every collector's health, for the UI and the trigger sampler. */
export function collectorStatus(): Record<CollectorName, CollectorHealth> {
  const t = table();
  return {
    accessLog: { ...t.accessLog },
    dockerStats: { ...t.dockerStats },
    dbErrors: { ...t.dbErrors },
    store: { ...t.store },
  };
}

export function recordOk(name: CollectorName, items = 0, now = Date.now()): void {
  const h = table()[name];
  h.state = "ok";
  h.consecutiveErrors = 0;
  h.lastOkAt = now;
  h.items += items;
}

export function recordError(name: CollectorName, error: unknown, now = Date.now()): void {
  const h = table()[name];
  h.errors++;
  h.consecutiveErrors++;
  h.lastError = error instanceof Error ? error.message : String(error);
  h.lastErrorAt = now;
  if (h.consecutiveErrors >= ERROR_LIMIT) h.state = "error";
}

export function resetCollectorStatus(): void {
  status().table = freshTable();
}

/** Counts collector sets started and not yet stopped in this process, for the readiness check. */
export function markCollectorsRunning(running: boolean): void {
  status().running = Math.max(0, status().running + (running ? 1 : -1));
}

export const collectorsRunning = (): boolean => status().running > 0;
