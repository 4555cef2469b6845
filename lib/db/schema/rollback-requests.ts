import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { deployments } from "./deployments";

export const ROLLBACK_REQUEST_STATUSES = [
  "pending",
  "approved",
  "rejected",
  "expired",
  "superseded",
  "executed",
  "failed",
] as const;
export type RollbackRequestStatus = (typeof ROLLBACK_REQUEST_STATUSES)[number];

/** A manual rollback asked for by one person and decided by another; at most one pending per service. */
export const rollbackRequests = sqliteTable(
  "rollback_requests",
  {
    id: text("id").primaryKey(),
    service: text("service").notNull(),
    deploymentId: text("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    requestedBy: text("requested_by").notNull(),
    requestedRole: text("requested_role").notNull(),
    reason: text("reason").notNull(),
    status: text("status", { enum: ROLLBACK_REQUEST_STATUSES }).notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    decidedBy: text("decided_by"),
    decidedAt: integer("decided_at"),
    decisionReason: text("decision_reason"),
    result: text("result"),
  },
  (t) => [index("rollback_requests_service").on(t.service, t.createdAt)],
);

export type RollbackRequest = typeof rollbackRequests.$inferSelect;
