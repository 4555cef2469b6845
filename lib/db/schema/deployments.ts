import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";

import { DEPLOYMENT_STATUSES, PHASES } from "./deployment-states";

export * from "./deployment-states";

export const deployments = sqliteTable(
  "deployments",
  {
    id: text("id").primaryKey(),
    service: text("service").notNull(),
    image: text("image").notNull(),
    /** What the target runs: `repo@sha256:…` (or the local image id), pinned when the image is pulled or found. */
    imageDigest: text("image_digest"),
    version: text("version").notNull(),
    fromSlot: text("from_slot", { enum: ["blue", "green"] }),
    toSlot: text("to_slot", { enum: ["blue", "green"] }).notNull(),
    fromVersion: text("from_version"),
    fromImage: text("from_image"),
    status: text("status", { enum: DEPLOYMENT_STATUSES }).notNull(),
    phase: text("phase", { enum: PHASES }).notNull(),
    autoPromote: integer("auto_promote", { mode: "boolean" }).notNull().default(false),
    requestedBy: text("requested_by").notNull(),
    promotedBy: text("promoted_by"),
    targetContainer: text("target_container"),
    backupFile: text("backup_file"),
    error: text("error"),
    rollbackReason: text("rollback_reason"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    gateReachedAt: integer("gate_reached_at"),
    switchedAt: integer("switched_at"),
    finishedAt: integer("finished_at"),
    oldSlotUntil: integer("old_slot_until"),
    oldSlotRemovedAt: integer("old_slot_removed_at"),
    /** A switch that failed for a reason outside the release keeps its target until then (switch_failed). */
    keptUntil: integer("kept_until"),
    /** Weighted promotion: the share (percent) the new colour is set to get; null without a plan. */
    splitPercent: integer("split_percent"),
  },
  (t) => [index("deployments_service").on(t.service, t.createdAt), index("deployments_status").on(t.status)],
);

export type Deployment = typeof deployments.$inferSelect;
