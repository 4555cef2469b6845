import { userFromApiToken } from "@/lib/api-tokens/authenticate";
import type { Db } from "@/lib/db/client";
import type { SessionUser } from "./types";

/**
 * `Authorization: Bearer glt_…`: the API token's principal (a role plus the services it may act on, see
 * lib/api-tokens/scope.ts), or null for a malformed, unknown, expired or revoked token. A request with a Bearer
 * header never falls back to its cookie.
 */
export function userFromBearerToken(db: Db, token: string, meta: { ip?: string | null } = {}): SessionUser | null {
  return userFromApiToken(db, token, meta);
}

export function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}
