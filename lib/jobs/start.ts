import { logger } from "@/lib/log";
import { ensureBootstrapAdmin } from "@/lib/auth/bootstrap";
import { startSessionPurge } from "@/lib/auth/purge-sessions-job";
import { ConfigError, getConfig } from "@/lib/config/load";
import { getDb } from "@/lib/db/client";
import { MigrationError } from "@/lib/db/migrate";
import { startAlertJob, type AlertJob } from "@/lib/alerts/alert-job";
import { engineState, getEngineContext, setNotifier, startEngine } from "@/lib/deploy/engine";
import { liveSlotsOf } from "@/lib/deploy/metrics-evaluator";
import { onConfigReloaded, reloadConfig } from "@/lib/config/reload";
import type { Config } from "@/lib/config/schema";
import type { Db } from "@/lib/db/client";
import { startCollectors, type Collectors } from "@/lib/metrics/start-collectors";
import { notifier } from "@/lib/notify/notifier";
import { startOutboxWorker, type OutboxWorker } from "@/lib/notify/worker";
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
      // `systemctl reload greenlight` (or kill -HUP): read greenlight.yaml again; a broken file keeps the running one.
      process.on("SIGHUP", () => {
        void reloadConfig(getEngineContext(), "SIGHUP").catch((error: unknown) =>
          log.error({ err: error }, `config reload failed: ${(error as Error).message}`),
        );
      });
      const created = await ensureBootstrapAdmin();
      if (created) log.info(`created the first user "${created}" from GREENLIGHT_ADMIN_PASSWORD`);
      startSessionPurge(getDb());
      if (process.env.GREENLIGHT_ENGINE === "off") return;
      // Before the engine starts, so events raised by recovery are audited and queued too.
      const ctx = getEngineContext();
      setNotifier(notifier(ctx.db, ctx.config));
      let driving: { collectors: Collectors; outbox: OutboxWorker; alerts: AlertJob } | null = null;
      const drive = (db: Db, config: Config) => ({
        collectors: startCollectors({ db, config, getLiveSlots: liveSlotsOf(config) }),
        outbox: startOutboxWorker({ db, config }),
        alerts: startAlertJob({
          db,
          config,
          getLiveSlots: liveSlotsOf(config),
          notify: () => ctx.notify,
          isDriving: () => engineState().driving,
        }),
      });
      // What was built from the config at start is rebuilt from a reloaded one.
      onConfigReloaded(async (next) => {
        setNotifier(notifier(ctx.db, next));
        if (!driving) return;
        await Promise.all([driving.collectors.stop(), driving.outbox.stop(), driving.alerts.stop()]);
        driving = drive(ctx.db, next);
      });
      // Collectors, the outbox and the alert rules belong to the driving process: now, or when this one takes over from another.
      await startEngine(ctx, ({ db, config }) => {
        driving = drive(db, config);
      });
    })(),
  );
}
