import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/lib/db/client";
import { checkRole } from "./check-role";
import { SESSION_COOKIE } from "./cookie";
import { safeNextPath } from "./safe-next";
import type { RoleRequirement } from "./roles";
import { userFromToken } from "./sessions";
import type { SessionUser } from "./types";

export { roleAtLeast } from "./roles";
export { requireRoleForRequest } from "./request-user";

/*
 * The one authorisation guard. Every page, server action and route handler checks here itself:
 * middleware/proxy is never trusted for auth (a forged `x-middleware-subrequest` header once let
 * requests skip it), and a layout's check does not cover the page or actions beneath it.
 * Cross-site form posts to server actions are refused by Next's own Origin/Host check; route
 * handlers that change state call assertSameOrigin from ./same-origin.
 */

/** The signed-in user for this request, or null; one database look-up per request. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const jar = await cookies();
  return userFromToken(getDb(), jar.get(SESSION_COOKIE)?.value);
});

export async function requireUser(): Promise<SessionUser> {
  return checkRole(await currentUser(), "viewer");
}

/** The path to come back to after sign-in, as proxy.ts reported it. */
async function signInUrl(): Promise<string> {
  const next = safeNextPath((await headers()).get("x-greenlight-path"));
  return next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
}

/**
 * For pages and layouts: no session redirects to sign-in (coming back here afterwards); too weak a
 * role throws ForbiddenError for the nearest error boundary.
 */
export async function requirePageUser(requirement: RoleRequirement = "viewer"): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(await signInUrl());
  return checkRole(user, requirement);
}
