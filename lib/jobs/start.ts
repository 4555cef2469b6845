import { logger } from "@/lib/log";
import { ensureBootstrapAdmin } from "@/lib/auth/bootstrap";
import { startSessionPurge } from "@/lib/auth/purge-sessions-job";
import { ConfigError, getConfig } from "@/lib/config/load";
import { getDb } from "@/lib/db/client";
import { MigrationError } from "@/lib/db/migrate";
import { getEngineContext, setNotifier, startEngine } from "@/lib/deploy/engine";
import { liveSlotsOf } from "@/lib/deploy/metrics-evaluator";
import { startCollectors } from "@/lib/metrics/start-collectors";
import { notifier } from "@/lib/notify/notifier";
import { startOutboxWorker } from "@/lib/notify/worker";
import { processWide } from "@/lib/process-wide";

const log = logger("start");

/**
 * Start-up of the one Greenlight process: configuration and database first (either broken stops the process with
 * a message naming what is wrong), then the first admin, then the engine with its recovery and scheduler.
 */
export function start(): Promise<void> {
  return processWide("background-jobs", () =>
    (async () => {
      try {
        getConfig();
        getDb();
      } catch (error) {
        if (error instanceof ConfigError || error instanceof MigrationError) {
          // Logged, and said on stderr too: whoever started the process (a terminal, systemd) reads that first.
          log.fatal(`Greenlight cannot start: ${error.message}`);
          process.stderr.write(`Greenlight cannot start: ${error.message}\n`);
          process.exit(1);
        }
        throw error;
      }
      const created = await ensureBootstrapAdmin();
      if (created) log.info(`created the first user "${created}" from GREENLIGHT_ADMIN_PASSWORD`);
      startSessionPurge(getDb());
      if (process.env.GREENLIGHT_ENGINE === "off") return;
      // Before the engine starts, so events raised by recovery are audited and queued too.
      const ctx = getEngineContext();
      setNotifier(notifier(ctx.db, ctx.config));
      // Collectors and the outbox belong to the driving process: now, or when this one takes over from another.
      await startEngine(ctx, ({ db, config }) => {
        startCollectors({ db, config, getLiveSlots: liveSlotsOf(config) });
        startOutboxWorker({ db, config });
      });
    })(),
  );
}
