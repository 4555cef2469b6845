import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";

/** Append-only (triggers refuse UPDATE and DELETE), each row chained to the previous one by `prev_hash`. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey(),
    at: integer("at").notNull(),
    actor: text("actor").notNull(),
    role: text("role"),
    action: text("action").notNull(),
    target: text("target"),
    sourceIp: text("source_ip"),
    userAgent: text("user_agent"),
    outcome: text("outcome", { enum: ["ok", "denied", "failed"] }).notNull(),
    reason: text("reason"),
    details: text("details").notNull().default("{}"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull().unique(),
  },
  (t) => [
    index("audit_log_at").on(t.at),
    index("audit_log_actor").on(t.actor, t.id),
    index("audit_log_action").on(t.action, t.id),
    index("audit_log_target").on(t.target, t.id),
  ],
);

export type AuditLogRow = typeof auditLog.$inferSelect;
