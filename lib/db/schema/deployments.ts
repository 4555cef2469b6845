import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";

export const DEPLOYMENT_STATUSES = [
  "running",
  "awaiting_promotion",
  "switch_failed",
  "rolling_back",
  "succeeded",
  "failed",
  "aborted",
  "expired",
  "rolled_back",
  "noop",
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];
export const FINAL_STATUSES: readonly DeploymentStatus[] = [
  "succeeded",
  "failed",
  "aborted",
  "expired",
  "rolled_back",
  "noop",
];
/** Not final: the deployment holds its service's deploy lock, and its target (if any) is kept. */
/** Unfinished but at rest: the target runs beside the live colour and nothing moves until a person acts. */
export const WAITING_STATUSES: readonly DeploymentStatus[] = ["awaiting_promotion", "switch_failed"];
export const UNFINISHED_STATUSES: readonly DeploymentStatus[] = DEPLOYMENT_STATUSES.filter(
  (s) => !FINAL_STATUSES.includes(s),
);

export const PHASES = [
  "pull",
  "preflight",
  "backup",
  "start_target",
  "migrate",
  "health",
  "smoke",
  "gate",
  "switch",
  "verify",
  "watch",
  "done",
  "rollback",
  "cleanup",
] as const;
export type Phase = (typeof PHASES)[number];

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
  },
  (t) => [index("deployments_service").on(t.service, t.createdAt), index("deployments_status").on(t.status)],
);

export type Deployment = typeof deployments.$inferSelect;
