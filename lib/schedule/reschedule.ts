import { z } from "zod";
import type { ScheduledDeployment } from "@/lib/db/schema";
import type { Actor } from "@/lib/deploy/audit-verb";
import type { EngineContext } from "@/lib/deploy/context";
import { ConflictError } from "@/lib/errors";
import { auditSchedule } from "./audit";
import { assertServiceFree, parseInput } from "./create";
import { parseMoment, utcText } from "./moment";
import { getSchedule, updateSchedule } from "./store";

export const rescheduleInput = z.strictObject({
  id: z.string().min(1, "name the schedule"),
  at: z.string({ error: "give the new moment as an ISO 8601 time, e.g. 2026-12-04T16:00:00Z" }),
});

/**
 * Moves a waiting or missed schedule to a new moment: its preflight and announcement are due again for the new
 * moment. Audited with the old and the new time.
 */
export function reschedule(ctx: EngineContext, raw: unknown, actor: Actor, now = Date.now()): ScheduledDeployment {
  const input = parseInput(rescheduleInput, raw);
  const schedule = getSchedule(ctx.db, input.id);
  const at = parseMoment(input.at, now);
  ctx.db.$client
    .transaction(() => {
      assertServiceFree(ctx, schedule.service, schedule.id);
      const moved = updateSchedule(
        ctx.db,
        schedule.id,
        ["scheduled", "missed"],
        {
          status: "scheduled",
          at,
          preflightAt: null,
          preflightStatus: null,
          preflightSummary: null,
          announcedAt: null,
          reason: null,
        },
        now,
      );
      if (!moved)
        throw new ConflictError(
          `The deployment scheduled for ${utcText(schedule.at)} is ${getSchedule(ctx.db, schedule.id).status}; only a waiting or missed one can be rescheduled.`,
        );
      auditSchedule(
        ctx.db,
        "reschedule",
        { ...schedule, at },
        actor,
        `${actor.username} moved ${schedule.service} ${schedule.version} from ${utcText(schedule.at)} to ${utcText(at)}`,
        { from: new Date(schedule.at).toISOString(), previousStatus: schedule.status },
        now,
      );
    })
    .immediate();
  return getSchedule(ctx.db, schedule.id);
}
