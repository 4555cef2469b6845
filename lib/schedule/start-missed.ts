import { z } from "zod";
import type { ScheduledDeployment } from "@/lib/db/schema";
import type { Actor } from "@/lib/deploy/audit-verb";
import type { EngineContext } from "@/lib/deploy/context";
import { assertMayDrive } from "@/lib/deploy/lease";
import { ConflictError } from "@/lib/errors";
import { auditSchedule } from "./audit";
import { parseInput } from "./create";
import { utcText } from "./moment";
import { startScheduled } from "./run";
import { getSchedule } from "./store";

export const startMissedInput = z.strictObject({ id: z.string().min(1, "name the schedule") });

/**
 * A release manager starts a window that was missed while Greenlight was down: the same T-0 as on time (a fresh
 * preflight, then the deployment only if it passed). Audited before it runs; the outcome is the schedule's.
 */
export async function startMissedSchedule(
  ctx: EngineContext,
  raw: unknown,
  actor: Actor,
): Promise<ScheduledDeployment> {
  const input = parseInput(startMissedInput, raw);
  assertMayDrive(ctx.db);
  const schedule = getSchedule(ctx.db, input.id);
  if (schedule.status !== "missed")
    throw new ConflictError(
      `The deployment scheduled for ${utcText(schedule.at)} is ${schedule.status}; only a missed one is started by hand.`,
    );
  auditSchedule(
    ctx.db,
    "start",
    schedule,
    actor,
    `${actor.username} started the missed window of ${schedule.service} ${schedule.version} (${utcText(schedule.at)})`,
  );
  return startScheduled(ctx, schedule, ["missed"]);
}
