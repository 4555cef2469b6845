import { desc } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { apiTokens, type ApiTokenRow } from "@/lib/db/schema/api-tokens";

export type ListedApiToken = Omit<ApiTokenRow, "tokenHash"> & { state: "active" | "expired" | "revoked" };

export function toListedToken(row: ApiTokenRow, now = Date.now()): ListedApiToken {
  const { tokenHash: _hash, ...rest } = row;
  const state =
    row.revokedAt !== null ? "revoked" : row.expiresAt !== null && row.expiresAt <= now ? "expired" : "active";
  return { ...rest, state };
}

/** Every token, newest first, without its hash. */
export function listApiTokens(db: Db, now = Date.now()): ListedApiToken[] {
  return db
    .select()
    .from(apiTokens)
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .all()
    .map((r) => toListedToken(r, now));
}
