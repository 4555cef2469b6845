import type { Db } from "@/lib/db/client";
import type { Config, ServiceConfig, Slot } from "@/lib/config/schema";
import type { Deployment } from "@/lib/db/schema";
import { UNFINISHED_STATUSES } from "@/lib/db/schema/deployment-states";
import { AppError, NotFoundError } from "@/lib/errors";
import { processWide } from "@/lib/process-wide";

export type NotifyEvent = {
  kind:
    | "deployment_started"
    | "ready_to_promote"
    | "promoted"
    | "succeeded"
    | "failed"
    | "rollback_started"
    | "rolled_back"
    | "rollback_failed"
    | "automatic_rollback"
    | "rollback_target_lost"
    | "live_down"
    | "live_recovered"
    | "serving_failed_release"
    | "lock_released"
    | "checkpoint_judged"
    | "checkpoint_failed"
    | "alert_firing"
    | "alert_resolved"
    | "schedule_preflight"
    | "schedule_announcement"
    | "schedule_missed"
    | "schedule_failed";
  service: string;
  deploymentId?: string;
  message: string;
  detail?: Record<string, unknown>;
  /** PagerDuty's incident key when it is not the service's own (an alert rule pages and resolves its own). */
  dedupKey?: string;
  /** The person's action behind it already wrote its audit row (lifecycle.ts): the notifier does not write another. */
  audited?: boolean;
};

/** Everything an engine verb needs, passed explicitly so tests can run engines on their own database and config. */
export type EngineContext = {
  db: Db;
  config: Config;
  dataDir: string;
  notify?: (event: NotifyEvent) => void;
  /** Judges the metrics during the watch window; without one every evaluation is inconclusive. */
  watchEvaluator?: import("./watch-evaluator").WatchEvaluator;
};

export function serviceOf(ctx: EngineContext, name: string): ServiceConfig {
  const service = ctx.config.services.find((s) => s.name === name);
  if (!service) throw new NotFoundError(`Service "${name}" is not declared in greenlight.yaml.`);
  return service;
}

const pinned = processWide("service-config-of-deployment", () => new Map<string, ServiceConfig>());

/** Called when a deployment starts: the service config it runs under until it is finished (see `serviceFor`). */
export function pinServiceConfig(deploymentId: string, service: ServiceConfig): void {
  if (pinned.size >= 500) pinned.delete(pinned.keys().next().value!);
  pinned.set(deploymentId, service);
}

/**
 * The service's config a deployment runs under: while it is unfinished, the one it started with in this process (so
 * a config reload never changes a deployment in flight, at the gate or in its watch); otherwise, and after a
 * restart, today's. Kept in memory only: a service's config holds secrets, which never go into the database.
 */
export function serviceFor(ctx: EngineContext, dep: Pick<Deployment, "id" | "service" | "status">): ServiceConfig {
  const own = pinned.get(dep.id);
  if (own && (UNFINISHED_STATUSES as readonly string[]).includes(dep.status)) return own;
  return serviceOf(ctx, dep.service);
}

export const slotUrl = (service: ServiceConfig, slot: Slot) => `http://127.0.0.1:${service.slots[slot].port}`;

export type PhaseRun = {
  ctx: EngineContext;
  deployment: Deployment;
  service: ServiceConfig;
  signal: AbortSignal;
  log: (level: "info" | "warn" | "error", message: string) => void;
};

export type PhaseResult = { status: "passed" | "warning" | "skipped"; summary: string; detail?: unknown };

/** A phase that did not pass: `summary` is shown to people, `detail` is kept with the step. */
export class PhaseFailure extends AppError {
  override readonly status = 422;
  override readonly code = "phase_failed";
  constructor(
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new PhaseFailure("Aborted by a release manager.");
}
