import type { Db } from "@/lib/db/client";
import { purgeExpiredSessions } from "./sessions";

const HOUR_MS = 60 * 60 * 1000;

/** Deletes expired sessions now and then every `everyMs` (hourly), so the table holds only live ones. Returns stop. */
export function startSessionPurge(db: Db, everyMs = HOUR_MS): () => void {
  const purge = () => {
    try {
      purgeExpiredSessions(db);
    } catch (error) {
      console.error("[greenlight] purging expired sessions failed", error);
    }
  };
  purge();
  const timer = setInterval(purge, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
