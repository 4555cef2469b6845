import { sqliteTable, text, integer } from "drizzle-orm/sqlite-core";

export const ROLES = ["viewer", "oncall", "release_manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ROLES }).notNull(),
  createdAt: integer("created_at").notNull(),
  disabledAt: integer("disabled_at"),
});
