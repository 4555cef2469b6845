import { getDb, type Db } from "@/lib/db/client";
import { bearerToken, userFromBearerToken } from "./bearer";
import { checkRole } from "./check-role";
import { tokenFromCookieHeader } from "./cookie";
import type { RoleRequirement } from "./roles";
import { userFromToken } from "./sessions";
import type { SessionUser } from "./types";

/** The user behind a route-handler request: a Bearer API token if one is sent, else the session cookie. */
export function userFromRequest(req: Request, db: Db = getDb()): SessionUser | null {
  const bearer = bearerToken(req.headers);
  if (bearer !== null) return userFromBearerToken(db, bearer);
  return userFromToken(db, tokenFromCookieHeader(req.headers.get("cookie")));
}

/** For route handlers: throws UnauthorizedError/ForbiddenError; turn them into 401/403 responses. */
export async function requireRoleForRequest(req: Request, requirement: RoleRequirement, db: Db = getDb()): Promise<SessionUser> {
  return checkRole(userFromRequest(req, db), requirement);
}
