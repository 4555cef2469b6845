import { z } from "zod";

/** What a checkpoint can judge from the recorded metrics, the live colour's logs and a probe through the LB. */
export const CHECKS = ["health", "error_rate", "p95", "cpu", "memory", "error_logs"] as const;
export type CheckName = (typeof CHECKS)[number];

const limitsSchema = z.strictObject({
  errorRatePercent: z.number().positive().default(0.1),
  p95Ms: z.number().positive().default(1000),
  cpuPercent: z.number().positive().default(30),
  memoryMb: z.number().positive().default(200),
  /** ERROR lines allowed in the live colour's log over the window. */
  errorLogLines: z.number().int().nonnegative().default(0),
  /** A window with fewer requests than this cannot judge error rate or p95: inconclusive. */
  minRequests: z.number().int().min(1).default(1),
});
export type PlanLimits = z.infer<typeof limitsSchema>;

const checkpointSchema = z.strictObject({
  name: z.string().min(1).max(80),
  /** Minutes after the switch; fractions allowed (0.5 is 30 s). */
  atMinutes: z.number().positive(),
  checks: z.array(z.enum(CHECKS)).min(1),
  /** Judge from the switch instead of from the previous checkpoint (the final status report). */
  sinceSwitch: z.boolean().default(false),
});
export type CheckpointSpec = z.infer<typeof checkpointSchema>;

/**
 * The seed's monitoring plan after the switch (deployment-plan.md, section 5): checkpoints T+10..T+30, an hourly
 * report to T+3 h, a daily report at 09:00 UTC to T+72 h. Every figure is judged from what Greenlight recorded.
 */
export const monitoringPlanSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    limits: limitsSchema.prefault({}),
    checkpoints: z
      .array(checkpointSchema)
      .default([
        { name: "T+10 initial", atMinutes: 10, checks: ["health", "p95", "error_logs"], sinceSwitch: false },
        { name: "T+15 performance", atMinutes: 15, checks: ["p95", "cpu", "memory"], sinceSwitch: false },
        { name: "T+20 performance", atMinutes: 20, checks: ["p95", "cpu", "memory"], sinceSwitch: false },
        { name: "T+25 error rate", atMinutes: 25, checks: ["error_rate"], sinceSwitch: false },
        {
          name: "T+30 final status",
          atMinutes: 30,
          checks: ["health", "error_rate", "p95", "cpu", "memory", "error_logs"],
          sinceSwitch: true,
        },
      ])
      .refine((list) => new Set(list.map((c) => c.name)).size === list.length, "checkpoint names must be unique"),
    hourly: z
      .strictObject({
        /** Reports every `everyMinutes` after `fromMinutes`, up to `untilMinutes`, each over the time since the last. */
        fromMinutes: z.number().nonnegative().default(30),
        everyMinutes: z.number().positive().default(60),
        untilMinutes: z.number().positive().default(180),
        checks: z.array(z.enum(CHECKS)).min(1).default(["cpu", "memory", "p95", "error_rate", "error_logs"]),
      })
      .prefault({}),
    daily: z
      .strictObject({
        /** UTC time of day, HH:MM. */
        atUtc: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a UTC time of day as HH:MM, e.g. 09:00")
          .default("09:00"),
        afterMinutes: z.number().nonnegative().default(180),
        untilHours: z.number().positive().default(72),
      })
      .prefault({}),
  })
  .prefault({});
export type MonitoringPlan = z.infer<typeof monitoringPlanSchema>;
