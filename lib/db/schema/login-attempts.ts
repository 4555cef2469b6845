import { sqliteTable, text, integer } from "drizzle-orm/sqlite-core";

/** Every sign-in attempt; a row is written as a failure before the password is checked, then marked ok. */
export const loginAttempts = sqliteTable("login_attempts", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  username: text("username").notNull(),
  ip: text("ip"),
  at: integer("at").notNull(),
  ok: integer("ok", { mode: "boolean" }).notNull().default(false),
});
