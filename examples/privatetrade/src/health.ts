import type Database from "better-sqlite3";
import { hasStockSelection } from "./build-info";
import type { Faults } from "./faults";
import type { Reply } from "./http";
import { missingColumns, V1_CONFIG_COLUMNS, V2_CONFIG_COLUMNS } from "./schema";

/** Healthy only when the database answers and has every column this version reads. */
export function health(db: Database.Database, faults: Faults, version: string): Reply {
  const reported = faults.wrongVersion ?? version;
  const uptime = Math.floor(process.uptime());
  const unhealthy = (reason: string): Reply => ({
    status: 503,
    body: { status: "unhealthy", version: reported, uptime, reason },
  });
  if (faults.healthFail) return unhealthy("fault injected: FAULT_HEALTH_FAIL");
  try {
    const wanted = hasStockSelection() ? [...V1_CONFIG_COLUMNS, ...V2_CONFIG_COLUMNS] : [...V1_CONFIG_COLUMNS];
    const missing = missingColumns(db, wanted);
    if (missing.length > 0) return unhealthy(`database schema is missing columns: ${missing.join(", ")}`);
    db.prepare("SELECT COUNT(*) AS n FROM config").get();
  } catch (error) {
    return unhealthy(`database check failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { status: 200, body: { status: "healthy", version: reported, uptime } };
}
