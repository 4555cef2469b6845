import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { apiTokens } from "@/lib/db/schema/api-tokens";
import { users } from "@/lib/db/schema/users";
import { tokenActorName, type ApiTokenPrincipal } from "./principal";
import { API_TOKEN_PATTERN, hashApiToken } from "./token";

// Recording every use would write on every poll of a CI job; once a minute is enough to see a token is alive.
const TOUCH_EVERY_MS = 60 * 1000;

/**
 * The principal behind a token, or null when it is malformed, unknown, expired, revoked, or its creating admin has
 * been disabled (a token must not outlive the trust in the person who issued it; enabling them again revives it).
 */
export function userFromApiToken(
  db: Db,
  token: string,
  meta: { ip?: string | null; now?: number } = {},
): ApiTokenPrincipal | null {
  if (!API_TOKEN_PATTERN.test(token)) return null;
  const now = meta.now ?? Date.now();
  const row = db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, hashApiToken(token)))
    .get();
  if (!row || row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= now)) return null;
  const creator = db
    .select({ disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.username, row.createdBy))
    .get();
  if (creator && creator.disabledAt !== null) return null;
  const ip = meta.ip?.slice(0, 64) ?? null;
  if (row.lastUsedAt === null || now - row.lastUsedAt >= TOUCH_EVERY_MS || (ip && ip !== row.lastUsedIp)) {
    db.update(apiTokens)
      .set({ lastUsedAt: now, ...(ip ? { lastUsedIp: ip } : {}) })
      .where(eq(apiTokens.id, row.id))
      .run();
  }
  return {
    kind: "api_token",
    id: -row.id,
    tokenId: row.id,
    username: tokenActorName(row.name),
    role: row.role,
    services: row.services,
    owner: row.createdBy,
  };
}
