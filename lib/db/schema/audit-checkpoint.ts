import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row: the last audit row whose chain was verified (lib/audit/verify-incremental.ts). */
export const auditCheckpoint = sqliteTable("audit_checkpoint", {
  id: integer("id").primaryKey(),
  lastId: integer("last_id").notNull(),
  lastHash: text("last_hash").notNull(),
  verifiedAt: integer("verified_at").notNull(),
});
