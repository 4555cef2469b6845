import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import type { ScheduledDeployment } from "@/lib/db/schema";
import type { Actor } from "@/lib/deploy/audit-verb";

/** The one audit row of a person's act on a schedule: create, cancel, reschedule or start a missed one. */
export function auditSchedule(
  db: Db,
  verb: "create" | "cancel" | "reschedule" | "start",
  schedule: Pick<ScheduledDeployment, "id" | "service" | "image" | "version" | "at">,
  actor: Actor,
  reason: string,
  details: Record<string, unknown> = {},
  at = Date.now(),
): void {
  recordAudit(db, {
    actor: actor.username,
    role: actor.role,
    action: `schedule.${verb}`,
    target: `schedule:${schedule.id}`,
    sourceIp: actor.sourceIp ?? null,
    userAgent: actor.userAgent ?? null,
    reason,
    at,
    details: {
      service: schedule.service,
      image: schedule.image,
      version: schedule.version,
      at: new Date(schedule.at).toISOString(),
      via: actor.via,
      ...details,
    },
  });
}
