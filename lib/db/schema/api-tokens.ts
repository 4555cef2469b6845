import { sqliteTable, text, integer } from "drizzle-orm/sqlite-core";
import { ROLES } from "./users";

/** Tokens for CI and scripts: only the SHA-256 of the token is stored; `prefix` identifies it in lists. */
export const apiTokens = sqliteTable("api_tokens", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  prefix: text("prefix").notNull(),
  role: text("role", { enum: ROLES }).notNull(),
  services: text("services", { mode: "json" }).$type<string[]>().notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at"),
  revokedAt: integer("revoked_at"),
  lastUsedAt: integer("last_used_at"),
  lastUsedIp: text("last_used_ip"),
});

export type ApiTokenRow = typeof apiTokens.$inferSelect;
