import { auditFromRequest } from "@/lib/audit/from-request";
import { bearerToken, userFromBearerToken } from "@/lib/auth/bearer";
import { checkRole } from "@/lib/auth/check-role";
import { userFromRequest } from "@/lib/auth/request-user";
import type { RoleRequirement } from "@/lib/auth/roles";
import { assertSameOrigin } from "@/lib/auth/same-origin";
import type { SessionUser } from "@/lib/auth/types";
import { assertServiceScope } from "@/lib/api-tokens/scope";
import type { EngineContext } from "@/lib/deploy/context";

export type ApiCaller = { user: SessionUser; origin: { sourceIp: string | null; userAgent: string | null } };

/**
 * Every v1 handler starts here: a cross-origin browser request that changes state is refused (Bearer clients carry
 * no ambient credentials), then the caller is the Bearer token's principal or the session cookie's user.
 */
export function authenticate(
  req: Request,
  ctx: EngineContext,
  requirement: RoleRequirement,
  service?: string,
): ApiCaller {
  const origin = auditFromRequest(req.headers);
  const bearer = bearerToken(req.headers);
  let user: SessionUser | null = null;
  try {
    user =
      bearer !== null ? userFromBearerToken(ctx.db, bearer, { ip: origin.sourceIp }) : userFromRequest(req, ctx.db);
    assertSameOrigin(req);
    checkRole(user, requirement);
    if (service !== undefined) assertServiceScope(user!, service);
    return { user: user!, origin };
  } catch (error) {
    throw Object.assign(error as Error, {
      authRefusal: { caller: user ? { username: user.username, role: user.role } : null },
    });
  }
}

/** Refuses a service outside the caller's token scope as authenticate() does, so a state-changing route audits it. */
export function assertCallerScope(user: SessionUser, service: string): void {
  try {
    assertServiceScope(user, service);
  } catch (error) {
    throw Object.assign(error as Error, { authRefusal: { caller: { username: user.username, role: user.role } } });
  }
}

/** The caller behind a refusal thrown by authenticate(), or undefined for any other error. */
export function authRefusal(error: unknown): { caller: { username: string; role: string } | null } | undefined {
  return (error as { authRefusal?: { caller: { username: string; role: string } | null } } | null)?.authRefusal;
}
