import { sqliteTable, text, integer } from "drizzle-orm/sqlite-core";

export const INCIDENT_KINDS = ["live_down", "failed_release"] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** A service not serving as it should; at most one open (resolved_at null) per service. */
export const incidents = sqliteTable("incidents", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  service: text("service").notNull(),
  kind: text("kind", { enum: INCIDENT_KINDS }).notNull(),
  problem: text("problem").notNull(),
  deploymentId: text("deployment_id"),
  openedAt: integer("opened_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  resolvedAt: integer("resolved_at"),
  resolution: text("resolution"),
  retryAttempts: integer("retry_attempts").notNull().default(0),
  nextRetryAt: integer("next_retry_at"),
});

export type Incident = typeof incidents.$inferSelect;
