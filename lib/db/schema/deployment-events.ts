import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { deployments } from "./deployments";

export const deploymentEvents = sqliteTable(
  "deployment_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    deploymentId: text("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    at: integer("at").notNull(),
    level: text("level", { enum: ["info", "warn", "error"] }).notNull(),
    message: text("message").notNull(),
  },
  (t) => [index("deployment_events_deployment").on(t.deploymentId, t.id)],
);

export type DeploymentEvent = typeof deploymentEvents.$inferSelect;
