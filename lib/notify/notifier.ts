import { logger } from "@/lib/log";
import type { Config } from "@/lib/config/schema";
import type { NotifyEvent } from "@/lib/deploy/context";
import { auditEngineEvent } from "@/lib/audit/engine-event";
import { scrubText } from "@/lib/audit/scrub";
import { serviceNamed, serviceSecrets } from "./channels";
import { enqueueNotification } from "./enqueue";
import type { OutboxDb } from "./outbox-rows";

const log = logger("notify");

/**
 * The engine's notify hook: records the event in the audit trail (unless the person's action behind it did) and queues it for the service's channels. Both
 * are synchronous SQLite writes; a failure is logged (scrubbed) and never reaches the deployment that raised it.
 */
export function notifier(db: OutboxDb, config: Config, say: (message: string) => void = (m) => log.error(m)) {
  return (event: NotifyEvent): void => {
    const secrets = serviceSecrets(serviceNamed(config, event.service));
    try {
      if (!event.audited) auditEngineEvent(db, event, secrets);
    } catch (error) {
      say(`audit of ${event.kind} for ${event.service} failed: ${scrubText((error as Error).message, secrets)}`);
    }
    try {
      enqueueNotification(db, config, event);
    } catch (error) {
      say(`queueing ${event.kind} for ${event.service} failed: ${scrubText((error as Error).message, secrets)}`);
    }
  };
}
