import path from "node:path";
import { backupDatabase } from "@/lib/appdb/backup";
import { updateDeployment } from "../store";
import type { PhaseResult, PhaseRun } from "../context";

export function backupFileFor(dataDir: string, service: string, deploymentId: string): string {
  return path.join(dataDir, "backups", service, `${deploymentId}-pre.db`);
}

export async function backup(run: PhaseRun): Promise<PhaseResult> {
  const db = run.service.database;
  if (!db) return { status: "skipped", summary: "no database declared" };
  const result = await backupDatabase({
    dbPath: db.path,
    destFile: backupFileFor(run.ctx.dataDir, run.service.name, run.deployment.id),
  });
  updateDeployment(run.ctx.db, run.deployment.id, { backupFile: result.file });
  const rows = Object.entries(result.tables)
    .map(([t, n]) => `${t}=${n}`)
    .join(", ");
  return {
    status: "passed",
    summary: `${(result.bytes / 1e6).toFixed(1)} MB backed up and verified (integrity ok; ${rows}) in ${Math.round(result.ms)} ms`,
    detail: result,
  };
}
