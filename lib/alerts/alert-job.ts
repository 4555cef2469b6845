import type { Config, Slot } from "@/lib/config/schema";
import type { Db } from "@/lib/db/client";
import type { NotifyEvent } from "@/lib/deploy/context";
import { logger } from "@/lib/log";
import { evaluateAlerts } from "./evaluate-alerts";

const log = logger("alerts");
const TICK_MS = 1_000;

export type AlertJob = { stop: () => Promise<void> };

/**
 * The engine process's alert rules: each service is judged every `alerts.evaluateEverySeconds`, and only while this
 * process holds the engine lease (`isDriving`), so two consoles never page twice. A failed round is logged and the
 * next one runs as planned.
 */
export function startAlertJob(opts: {
  db: Db;
  config: Config;
  getLiveSlots: () => Record<string, Slot | undefined>;
  notify: () => ((event: NotifyEvent) => void) | undefined;
  isDriving: () => boolean;
}): AlertJob {
  const due = new Map<string, number>();
  const timer = setInterval(() => {
    if (!opts.isDriving()) return;
    const now = Date.now();
    const services = opts.config.services.filter((s) => (due.get(s.name) ?? 0) <= now);
    if (services.length === 0) return;
    for (const s of services) due.set(s.name, now + s.alerts.evaluateEverySeconds * 1000);
    try {
      evaluateAlerts({
        db: opts.db,
        config: { ...opts.config, services },
        liveSlots: opts.getLiveSlots(),
        notify: opts.notify(),
        now,
      });
    } catch (error) {
      log.error({ err: error }, `alert rules could not be evaluated: ${(error as Error).message}`);
    }
  }, TICK_MS);
  timer.unref();
  return { stop: async () => clearInterval(timer) };
}
