import type { Db } from "@/lib/db/client";
import type { SessionUser } from "./types";

/**
 * Seam for CI API tokens (`Authorization: Bearer <token>`): return the user the token acts as,
 * or null. Until API tokens exist, every Bearer token is refused; a request with a Bearer header
 * never falls back to its cookie.
 */
export function userFromBearerToken(_db: Db, _token: string): SessionUser | null {
  return null;
}

export function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}
