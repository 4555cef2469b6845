import { z } from "zod";
import { auditAttempt, refuse } from "@/lib/approvals/audit";
import type { AttemptOrigin } from "@/lib/approvals/policy";
import { roleAtLeast } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/types";
import type { Config } from "@/lib/config/schema";
import type { Db } from "@/lib/db/client";
import type { AlertSilence } from "@/lib/db/schema";
import { scrub } from "@/lib/deploy/secrets-of";
import { AppError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { insertSilence } from "./store";

export const MAX_SILENCE_MINUTES = 7 * 24 * 60;

export const silenceInput = z.object({
  service: z.string().min(1),
  /** One rule of the service; absent, every rule of the service. */
  rule: z.string().min(1).optional(),
  minutes: z
    .number()
    .int("give whole minutes")
    .min(1, "silence for at least 1 minute")
    .max(MAX_SILENCE_MINUTES, `silence for at most ${MAX_SILENCE_MINUTES} minutes (7 days)`),
  reason: z.string().trim().min(3, "say why in at least 3 characters").max(500, "keep the reason under 500 characters"),
});

const ACTION = "alert.silence";

/**
 * An on-call silences one alert rule of a service, or all of them, for a time with a reason: a firing it covers is
 * still shown but not paged until the silence ends. Audited, refusals included.
 */
export function silenceAlerts(
  ctx: { db: Db; config: Config },
  raw: z.input<typeof silenceInput>,
  user: Pick<SessionUser, "username" | "role">,
  origin?: AttemptOrigin,
  now = Date.now(),
): AlertSilence {
  const attempt = { user, action: ACTION, target: `service:${String(raw.service).slice(0, 100)}`, origin };
  if (!roleAtLeast(user.role, "oncall"))
    throw refuse(
      ctx.db,
      attempt,
      new ForbiddenError(`Silencing alerts is for on-call engineers and above; you are ${user.role}.`),
    );
  const parsed = silenceInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw refuse(
      ctx.db,
      attempt,
      new ValidationError(`${issue?.path.join(".") || "input"}: ${issue?.message ?? "invalid"}`),
    );
  }
  const { service: name, rule, minutes } = parsed.data;
  let reason: string;
  try {
    const service = ctx.config.services.find((s) => s.name === name);
    if (!service) throw new NotFoundError(`Service "${name}" is not declared in greenlight.yaml.`);
    if (rule !== undefined && !service.alerts.rules.some((r) => r.name === rule))
      throw new NotFoundError(
        `${name} has no alert rule "${rule}"; its rules are ${service.alerts.rules.map((r) => r.name).join(", ") || "none"}.`,
      );
    reason = scrub(service, parsed.data.reason);
  } catch (error) {
    if (error instanceof AppError) throw refuse(ctx.db, attempt, error);
    throw error;
  }
  const endsAt = now + minutes * 60_000;
  return ctx.db.$client.transaction(() => {
    const silence = insertSilence(ctx.db, {
      service: name,
      rule: rule ?? null,
      reason,
      createdBy: user.username,
      createdAt: now,
      endsAt,
    });
    auditAttempt(ctx.db, {
      ...attempt,
      outcome: "ok",
      reason,
      details: { silenceId: silence.id, rule: rule ?? null, minutes, endsAt },
    });
    return silence;
  })();
}
