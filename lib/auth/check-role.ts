import { ForbiddenError, UnauthorizedError } from "@/lib/errors";
import { describeRequirement, satisfies, type RoleRequirement } from "./roles";
import type { SessionUser } from "./types";

const SIGN_IN_REQUIRED = "Sign in first";

/** The user, when signed in and strong enough; else UnauthorizedError or ForbiddenError. */
export function checkRole(user: SessionUser | null, requirement: RoleRequirement): SessionUser {
  if (!user) throw new UnauthorizedError(SIGN_IN_REQUIRED);
  if (!satisfies(user.role, requirement)) {
    throw new ForbiddenError(`This needs the ${describeRequirement(requirement)} role; you are ${user.role}`);
  }
  return user;
}
