import type { Slot } from "@/lib/config/schema";
import { AppError } from "@/lib/errors";
import type { VerifyResult } from "@/lib/nginx/verify-live";

export type { VerifyResult } from "@/lib/nginx/verify-live";

/** What the load balancer is set to send to: the colour and its port. */
export type LiveTarget = { slot: Slot; port: number };

export type ApplyInput = { slot: Slot; version: string; deploymentId: string };

/** A weighted split: `percent` of the requests to `to`, the rest to the other colour (0 and 100: one colour). */
export type SplitInput = { to: Slot; percent: number; version: string; deploymentId: string };

/** The share of new requests each colour is set to get, in percent (summing to 100). */
export type SplitShares = Record<Slot, number>;

export type ApplyResult = {
  /** The load balancer showed the change (nginx: new workers; HAProxy: `show servers state`). */
  confirmed: boolean;
  /** One line for the switch step, naming the load balancer, the colour and the time it took. */
  summary: string;
  detail: Record<string, unknown>;
};

export type DrainResult = { drained: boolean; waitedMs: number; remaining: number };

/** Where per-colour request metrics come from; null when this driver feeds none. */
export type AccessLogSource = { format: "nginx-json"; path: string } | { format: "haproxy-udp"; port: number } | null;

/** Whether what the load balancer does matches what Greenlight made durable, and what was done about it. */
export type ReconcileResult = { state: "in_sync" | "reapplied" | "unknown"; live: Slot | null; expected: Slot | null };

/** The kinds (see lib/deploy/failure-kinds.ts) a refused change is reported as. */
export type RefusalKind = "nginx_config_invalid" | "reload_not_applied" | "haproxy_config_invalid" | "haproxy_refused";

/**
 * The load balancer refused the change and nothing moved: the colour that served before still serves. The switch
 * phase keeps the checked target for a retry (switch_failed) instead of rolling back.
 */
export class TrafficRefusedError extends AppError {
  override readonly status = 409;
  override readonly code = "traffic_refused";
  constructor(
    message: string,
    readonly kind: RefusalKind,
    readonly output = "",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * One service's way of moving traffic between its colours. The pipeline, rollback, recovery and metrics use only
 * this; lib/traffic/index.ts picks the implementation from the service's `traffic` setting.
 */
export interface TrafficDriver {
  readonly kind: "nginx" | "haproxy";
  /** The load balancer's name for people: "nginx", "HAProxy". */
  readonly label: string;
  /** Where users reach the load balancer (before the service's route). */
  readonly lbUrl: string;
  /** What the load balancer is set to now (null: nothing set up for this service yet). */
  readLive(): Promise<LiveTarget | null>;
  /** What Greenlight last made durable, read synchronously (the metrics attribution runs per log line). */
  persistedLive(): Slot | undefined;
  /** Is the load balancer's configuration one it would load? (preflight, and before any change). */
  checkConfig(): Promise<{ ok: boolean; output: string }>;
  /** Sends all traffic to the slot and makes that durable; TrafficRefusedError when nothing moved. */
  apply(input: ApplyInput): Promise<ApplyResult>;
  /**
   * Sends `percent` of new requests to `to` and the rest to the other colour, durable as apply() is (nginx:
   * `weight=` on both servers; HAProxy: both servers' weights). 100 and 0 are apply() of one colour.
   */
  applySplit(input: SplitInput): Promise<ApplyResult>;
  /** The shares the load balancer is set to now (null: nothing set up for this service yet). */
  readSplit(): Promise<SplitShares | null>;
  /**
   * Probes through the load balancer, the way users reach the service, until the slot answers as the version
   * `requiredSuccesses` times in a row (3; a weighted step asks for 1: the other colour answers in between).
   */
  verify(
    slot: Slot,
    version: string,
    options?: { deadlineMs?: number; requiredSuccesses?: number },
  ): Promise<VerifyResult>;
  /** Waits (bounded) until nothing is still in flight to the slot that no longer takes traffic. */
  drain(slot: Slot, options: { timeoutMs: number }): Promise<DrainResult>;
  accessLog(): AccessLogSource;
  /**
   * Compares what the load balancer does with what Greenlight made durable (HAProxy restarted without loading its
   * state file, for instance) and applies the durable colour again when they differ. Only outside a deployment.
   */
  reconcile(): Promise<ReconcileResult>;
}
