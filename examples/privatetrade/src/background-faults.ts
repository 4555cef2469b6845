import type { Faults } from "./faults";
import { log } from "./log";

const TICK_MS = 250;
const MAX_RETAINED_MB = 2048;

/** Starts the timer-driven faults (memory growth, database error lines); returns a stopper. */
export function startBackgroundFaults(faults: Faults): () => void {
  const timers: NodeJS.Timeout[] = [];
  if (faults.memoryGrowthMbPerS > 0) {
    const retained: Buffer[] = [];
    const bytesPerTick = Math.round((faults.memoryGrowthMbPerS * 1024 * 1024 * TICK_MS) / 1000);
    const cap = (faults.memoryCapMb || MAX_RETAINED_MB) * 1024 * 1024;
    let total = 0;
    timers.push(
      setInterval(() => {
        if (total >= cap) return;
        // fill() touches every page so the growth shows in RSS, not only in virtual size.
        retained.push(Buffer.alloc(bytesPerTick).fill(1));
        total += bytesPerTick;
      }, TICK_MS),
    );
  }
  if (faults.dbErrorsPerMin > 0) {
    const every = Math.max(1, Math.round(60_000 / faults.dbErrorsPerMin));
    timers.push(
      setInterval(() => {
        log("error", "database connection error: SQLITE_BUSY: database is locked", { fault: "dbErrorsPerMin" });
      }, every),
    );
  }
  return () => timers.forEach((t) => clearInterval(t));
}
