import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { ScheduledDeployment } from "@/lib/db/schema";
import { serviceOf, type EngineContext } from "@/lib/deploy/context";
import type { Actor } from "@/lib/deploy/audit-verb";
import { deployLockName, describeLease, readLease } from "@/lib/deploy/lease";
import { imageMatchesRepository, parseImageRef } from "@/lib/docker/image-ref";
import { ConflictError, ValidationError } from "@/lib/errors";
import { auditSchedule } from "./audit";
import { parseMoment, utcText } from "./moment";
import { getSchedule, pendingSchedules } from "./store";

export const scheduleDeploymentInput = z.strictObject({
  service: z.string().min(1, "pick a service"),
  image: z.string().min(1, "pick an image").max(300, "an image reference is at most 300 characters"),
  version: z
    .string()
    .regex(/^[A-Za-z0-9][\w.+-]{0,63}$/, "a version is letters, digits, dots, dashes, pluses or underscores (max 64)")
    .optional(),
  autoPromote: z.boolean().optional(),
  at: z.string({ error: "give the moment to deploy as an ISO 8601 time, e.g. 2026-12-04T16:00:00Z" }),
});
export type ScheduleDeploymentInput = z.infer<typeof scheduleDeploymentInput>;

export const newScheduleId = (now = Date.now()) => `s${now.toString(36)}${randomBytes(2).toString("hex")}`;

export function parseInput<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new ValidationError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  return parsed.data;
}

/** Refuses a moment while the service is locked or already has a pending schedule, naming which. */
export function assertServiceFree(ctx: EngineContext, service: string, except?: string): void {
  const other = pendingSchedules(ctx.db, service).find((s) => s.id !== except);
  if (other)
    throw new ConflictError(
      `${service} already has a deployment of ${other.version ?? other.image} scheduled for ${utcText(other.at)} (${other.id}, ${other.status}); cancel or reschedule it.`,
    );
  const lock = readLease(ctx.db, deployLockName(service));
  // The announcement names the versions from and to: unknown while another deployment is still moving.
  if (lock && lock.expiresAt > Date.now())
    throw new ConflictError(
      `${service} is locked: ${describeLease(lock)}. Schedule once the running deployment has finished.`,
    );
}

/** Books a deployment for a moment; the engine's scheduler (run.ts) takes it from there. Audited. */
export function scheduleDeployment(
  ctx: EngineContext,
  raw: unknown,
  actor: Actor,
  now = Date.now(),
): ScheduledDeployment {
  const input = parseInput(scheduleDeploymentInput, raw);
  const service = serviceOf(ctx, input.service);
  const at = parseMoment(input.at, now);
  const ref = parseImageRef(input.image, ctx.config.docker.allowedRegistries);
  if (!imageMatchesRepository(ref.ref, service.image))
    throw new ValidationError(`image: ${ref.ref} is not from ${service.name}'s repository ${service.image}.`);
  const version = input.version ?? ref.tag ?? null;
  if (!version)
    throw new ValidationError(
      `version: image ${ref.ref} has no tag; give the version it reports on ${service.health.path}.`,
    );
  const id = newScheduleId(now);
  ctx.db.$client
    .transaction(() => {
      assertServiceFree(ctx, service.name);
      ctx.db.$client
        .prepare(
          `INSERT INTO scheduled_deployments (id, service, image, version, auto_promote, at, status, created_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?)`,
        )
        .run(id, service.name, ref.ref, version, input.autoPromote ? 1 : 0, at, actor.username, now, now);
      auditSchedule(
        ctx.db,
        "create",
        { id, service: service.name, image: ref.ref, version, at },
        actor,
        `${actor.username} scheduled ${service.name} ${version} for ${utcText(at)}`,
        {},
        now,
      );
    })
    .immediate();
  return getSchedule(ctx.db, id);
}
