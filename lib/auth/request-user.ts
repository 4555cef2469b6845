import { getDb, type Db } from "@/lib/db/client";
import { UnauthorizedError } from "@/lib/errors";
import { bearerToken } from "./bearer";
import { checkRole } from "./check-role";
import { tokenFromCookieHeader } from "./cookie";
import type { RoleRequirement } from "./roles";
import { userFromToken } from "./sessions";
import type { SessionUser } from "./types";

const TOKENS_ONLY_UNDER_V1 =
  "API tokens are accepted only under /api/v1; this route needs a signed-in console session.";

/**
 * The signed-in user behind a route-handler request outside /api/v1, from the session cookie. A request carrying
 * `Authorization: Bearer` is nobody here: only /api/v1 checks a token's service scope, so tokens go no further.
 */
export function userFromRequest(req: Request, db: Db = getDb()): SessionUser | null {
  if (bearerToken(req.headers) !== null) return null;
  return userFromToken(db, tokenFromCookieHeader(req.headers.get("cookie")));
}

/** For route handlers: throws UnauthorizedError/ForbiddenError; turn them into 401/403 responses. */
export async function requireRoleForRequest(
  req: Request,
  requirement: RoleRequirement,
  db: Db = getDb(),
): Promise<SessionUser> {
  return checkRoleForRequest(req, requirement, db);
}

/** The same, synchronous: for re-checking a caller on each heartbeat of a stream. */
export function checkRoleForRequest(req: Request, requirement: RoleRequirement, db: Db = getDb()): SessionUser {
  if (bearerToken(req.headers) !== null) throw new UnauthorizedError(TOKENS_ONLY_UNDER_V1);
  return checkRole(userFromRequest(req, db), requirement);
}
