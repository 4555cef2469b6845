import { sqliteTable, text, integer } from "drizzle-orm/sqlite-core";

/**
 * scheduled: waiting for its moment; starting: the T-0 preflight runs; missed: its moment passed while Greenlight was
 * down and a release manager decides; started: it became `deploymentId`; failed: the T-0 preflight or the start
 * refused it (`reason`); cancelled: by a person, or by the `skip` policy for a missed window.
 */
export const SCHEDULE_STATUSES = ["scheduled", "starting", "missed", "started", "failed", "cancelled"] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];
/** Still to happen or to be decided: one at a time per service. */
export const PENDING_SCHEDULE_STATUSES: readonly ScheduleStatus[] = ["scheduled", "starting", "missed"];

export const scheduledDeployments = sqliteTable("scheduled_deployments", {
  id: text("id").primaryKey(),
  service: text("service").notNull(),
  image: text("image").notNull(),
  version: text("version"),
  autoPromote: integer("auto_promote", { mode: "boolean" }).notNull().default(false),
  at: integer("at").notNull(),
  status: text("status").$type<ScheduleStatus>().notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  preflightAt: integer("preflight_at"),
  preflightStatus: text("preflight_status").$type<"passed" | "warning" | "failed">(),
  preflightSummary: text("preflight_summary"),
  announcedAt: integer("announced_at"),
  deploymentId: text("deployment_id"),
  reason: text("reason"),
});

export type ScheduledDeployment = typeof scheduledDeployments.$inferSelect;
