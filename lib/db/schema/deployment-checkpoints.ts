import { sqliteTable, text, integer, primaryKey } from "drizzle-orm/sqlite-core";
import { deployments } from "./deployments";

export type CheckpointStatus = "passed" | "failed" | "inconclusive";
export type CheckVerdict = {
  check: string;
  status: CheckpointStatus;
  /** The measured figure in the check's unit, null when there was nothing to measure. */
  value: number | null;
  limit: number | null;
  unit: string;
  /** Why it is inconclusive or failed, in words. */
  why?: string;
};

/** A monitoring-plan item's verdict (lib/plan): written once, when judged. Times in epoch ms. */
export const deploymentCheckpoints = sqliteTable(
  "deployment_checkpoints",
  {
    deploymentId: text("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    kind: text("kind").$type<"checkpoint" | "hourly" | "daily">().notNull(),
    name: text("name").notNull(),
    dueAt: integer("due_at").notNull(),
    windowFrom: integer("window_from").notNull(),
    windowTo: integer("window_to").notNull(),
    status: text("status").$type<CheckpointStatus>().notNull(),
    summary: text("summary").notNull(),
    checks: text("checks", { mode: "json" }).$type<CheckVerdict[] | Record<string, unknown>>().notNull(),
    judgedAt: integer("judged_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.deploymentId, t.key] })],
);

export type DeploymentCheckpoint = typeof deploymentCheckpoints.$inferSelect;
