import type { Db } from "@/lib/db/client";
import { PENDING_SCHEDULE_STATUSES, type ScheduledDeployment, type ScheduleStatus } from "@/lib/db/schema";
import { NotFoundError } from "@/lib/errors";

type Row = {
  id: string;
  service: string;
  image: string;
  version: string | null;
  auto_promote: number;
  at: number;
  status: ScheduleStatus;
  created_by: string;
  created_at: number;
  updated_at: number;
  preflight_at: number | null;
  preflight_status: ScheduledDeployment["preflightStatus"];
  preflight_summary: string | null;
  announced_at: number | null;
  deployment_id: string | null;
  reason: string | null;
};

const toSchedule = (r: Row): ScheduledDeployment => ({
  id: r.id,
  service: r.service,
  image: r.image,
  version: r.version,
  autoPromote: r.auto_promote === 1,
  at: r.at,
  status: r.status,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  preflightAt: r.preflight_at,
  preflightStatus: r.preflight_status,
  preflightSummary: r.preflight_summary,
  announcedAt: r.announced_at,
  deploymentId: r.deployment_id,
  reason: r.reason,
});

const PENDING = PENDING_SCHEDULE_STATUSES.map((s) => `'${s}'`).join(", ");

export function getSchedule(db: Db, id: string): ScheduledDeployment {
  const row = db.$client.prepare("SELECT * FROM scheduled_deployments WHERE id = ?").get(id) as Row | undefined;
  if (!row) throw new NotFoundError(`No scheduled deployment ${id}.`);
  return toSchedule(row);
}

/** Schedules still to happen or to be decided, soonest first; of one service when named. */
export function pendingSchedules(db: Db, service?: string): ScheduledDeployment[] {
  const rows = db.$client
    .prepare(
      `SELECT * FROM scheduled_deployments WHERE status IN (${PENDING}) ${service ? "AND service = ?" : ""} ORDER BY at`,
    )
    .all(...(service ? [service] : [])) as Row[];
  return rows.map(toSchedule);
}

/** A service's schedules, newest moment first: the pending ones and the last few that ended. */
export function recentSchedules(db: Db, service: string, limit = 10): ScheduledDeployment[] {
  const rows = db.$client
    .prepare("SELECT * FROM scheduled_deployments WHERE service = ? ORDER BY at DESC LIMIT ?")
    .all(service, limit) as Row[];
  return rows.map(toSchedule);
}

type Patch = Partial<{
  status: ScheduleStatus;
  at: number;
  preflightAt: number | null;
  preflightStatus: ScheduledDeployment["preflightStatus"];
  preflightSummary: string | null;
  announcedAt: number | null;
  deploymentId: string | null;
  reason: string | null;
}>;

const COLUMNS: Record<keyof Patch, string> = {
  status: "status",
  at: "at",
  preflightAt: "preflight_at",
  preflightStatus: "preflight_status",
  preflightSummary: "preflight_summary",
  announcedAt: "announced_at",
  deploymentId: "deployment_id",
  reason: "reason",
};

/**
 * Writes the patch when the schedule is still in one of `from` (another caller may have moved it meanwhile: the
 * engine's tick, a person's cancel). Returns whether it was written.
 */
export function updateSchedule(
  db: Db,
  id: string,
  from: readonly ScheduleStatus[],
  patch: Patch,
  now = Date.now(),
): boolean {
  const keys = Object.keys(patch) as (keyof Patch)[];
  const sets = [...keys.map((k) => `${COLUMNS[k]} = @${k}`), "updated_at = @now"].join(", ");
  const states = from.map((s) => `'${s}'`).join(", ");
  return (
    db.$client
      .prepare(`UPDATE scheduled_deployments SET ${sets} WHERE id = @id AND status IN (${states})`)
      .run({ ...patch, id, now }).changes === 1
  );
}
