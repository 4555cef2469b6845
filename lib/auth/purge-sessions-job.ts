import { logger } from "@/lib/log";
import type { Db } from "@/lib/db/client";
import { purgeExpiredSessions } from "./sessions";

const log = logger("auth");

const HOUR_MS = 60 * 60 * 1000;

/** Deletes expired sessions now and then every `everyMs` (hourly), so the table holds only live ones. Returns stop. */
export function startSessionPurge(db: Db, everyMs = HOUR_MS): () => void {
  const purge = () => {
    try {
      purgeExpiredSessions(db);
    } catch (error) {
      log.error({ err: error }, "purging expired sessions failed");
    }
  };
  purge();
  const timer = setInterval(purge, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
