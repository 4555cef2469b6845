import { z } from "zod";
import type { ScheduledDeployment } from "@/lib/db/schema";
import type { Actor } from "@/lib/deploy/audit-verb";
import type { EngineContext } from "@/lib/deploy/context";
import { ConflictError } from "@/lib/errors";
import { auditSchedule } from "./audit";
import { parseInput } from "./create";
import { utcText } from "./moment";
import { getSchedule, updateSchedule } from "./store";

export const cancelScheduleInput = z.strictObject({
  id: z.string().min(1, "name the schedule"),
  reason: z.string().max(500, "a reason is at most 500 characters").optional(),
});

/** A person cancels a schedule that has not started (waiting, or missed and waiting for a decision). Audited. */
export function cancelSchedule(ctx: EngineContext, raw: unknown, actor: Actor, now = Date.now()): ScheduledDeployment {
  const input = parseInput(cancelScheduleInput, raw);
  const schedule = getSchedule(ctx.db, input.id);
  const reason = input.reason?.trim() || null;
  ctx.db.$client
    .transaction(() => {
      const said = `${actor.username} cancelled ${schedule.service} ${schedule.version} scheduled for ${utcText(schedule.at)}${reason ? `: ${reason}` : ""}`;
      if (!updateSchedule(ctx.db, schedule.id, ["scheduled", "missed"], { status: "cancelled", reason: said }, now))
        throw new ConflictError(
          `The deployment scheduled for ${utcText(schedule.at)} is ${getSchedule(ctx.db, schedule.id).status}; only a waiting or missed one can be cancelled.`,
        );
      auditSchedule(ctx.db, "cancel", schedule, actor, said, { from: schedule.status }, now);
    })
    .immediate();
  return getSchedule(ctx.db, schedule.id);
}
