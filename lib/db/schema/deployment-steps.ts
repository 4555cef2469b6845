import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { deployments, PHASES } from "./deployments";

export const STEP_STATUSES = ["running", "passed", "warning", "failed", "skipped"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const deploymentSteps = sqliteTable(
  "deployment_steps",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    deploymentId: text("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    phase: text("phase", { enum: PHASES }).notNull(),
    status: text("status", { enum: STEP_STATUSES }).notNull(),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at"),
    summary: text("summary"),
    detail: text("detail", { mode: "json" }),
  },
  (t) => [index("deployment_steps_deployment").on(t.deploymentId, t.id)],
);

export type DeploymentStep = typeof deploymentSteps.$inferSelect;
