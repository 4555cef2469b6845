import { logger } from "@/lib/log";
import type { Config } from "@/lib/config/schema";
import { backoffDelay } from "./backoff";
import { deliver, type DeliverOptions } from "./deliver";
import { headOfChannel, pendingChannels, pruneOutbox, type OutboxDb } from "./outbox-rows";

const log = logger("notify");

export type OutboxWorkerOptions = DeliverOptions & {
  db: OutboxDb;
  config: Config;
  intervalMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  log?: (message: string) => void;
  /** Sent and dead rows older than this are deleted (checked hourly); default 30 days. */
  keepMs?: number;
};

export type OutboxWorker = {
  /** One pass over every channel with due rows; resolves when those channels are drained or waiting. */
  tick: () => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * Sends due outbox rows, one at a time per channel and in order (a channel waits while its oldest row backs off),
 * channels in parallel. Failures back off exponentially; after `maxAttempts`, or an answer retrying cannot fix,
 * the row is dead. Never throws: a broken channel is a row state and a log line, not an exception.
 */
export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, config, intervalMs = 1_000, maxAttempts = 8, baseDelayMs = 2_000, maxDelayMs = 300_000 } = options;
  const warn = options.log ?? ((m: string) => log.warn(m));
  const inFlight = new Map<string, Promise<void>>();
  let stopped = false;
  let lastPrune = 0;
  const update = db.$client.prepare(
    `UPDATE notification_outbox SET status = @status, attempts = @attempts, next_attempt_at = @next, last_error = @error, sent_at = @sentAt WHERE id = @id`,
  );

  async function drain(service: string, channel: string): Promise<void> {
    while (!stopped) {
      const row = headOfChannel(db, service, channel);
      if (!row || row.nextAttemptAt > Date.now()) return;
      const result = await deliver(config, { service, channel, payload: JSON.parse(row.payload) as unknown }, options);
      const attempts = row.attempts + 1;
      const now = Date.now();
      if (result.ok) {
        update.run({ id: row.id, status: "sent", attempts, next: now, error: null, sentAt: now });
        continue;
      }
      const dead = !result.retryable || attempts >= maxAttempts;
      const next = dead ? now : now + backoffDelay(attempts, { baseDelayMs, maxDelayMs });
      update.run({ id: row.id, status: dead ? "dead" : "pending", attempts, next, error: result.error, sentAt: null });
      if (dead)
        warn(
          `notification ${row.id} (${row.kind}) to ${service}/${channel} given up after ${attempts} attempt(s): ${result.error}`,
        );
      return;
    }
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    let channels: Array<{ service: string; channel: string }>;
    try {
      if (Date.now() - lastPrune > 3_600_000) {
        lastPrune = Date.now();
        pruneOutbox(db, options.keepMs ?? 30 * 86_400_000);
      }
      channels = pendingChannels(db);
    } catch (error) {
      warn(`notification outbox unreadable: ${(error as Error).message}`);
      return;
    }
    const runs: Promise<void>[] = [];
    for (const { service, channel } of channels) {
      const key = JSON.stringify([service, channel]);
      const running = inFlight.get(key);
      if (running) {
        runs.push(running);
        continue;
      }
      const run = drain(service, channel)
        .catch((error: unknown) =>
          warn(`notification delivery to ${service}/${channel} stopped: ${(error as Error).message}`),
        )
        .finally(() => inFlight.delete(key));
      inFlight.set(key, run);
      runs.push(run);
    }
    await Promise.all(runs);
  }

  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    tick,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await Promise.all(inFlight.values());
    },
  };
}
