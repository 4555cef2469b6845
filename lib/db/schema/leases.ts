import { sqliteTable, text, integer } from "drizzle-orm/sqlite-core";

/** Deploy locks (`deploy:<service>`) and the engine lease (`engine`): one holder at a time, with heartbeat and expiry. */
export const leases = sqliteTable("leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  ownerPid: integer("owner_pid").notNull(),
  instance: text("instance").notNull(),
  reason: text("reason").notNull(),
  acquiredAt: integer("acquired_at").notNull(),
  heartbeatAt: integer("heartbeat_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  host: text("host"),
  bootId: text("boot_id"),
  pidStart: text("pid_start"),
});

export type Lease = typeof leases.$inferSelect;
