import type { SessionUser } from "@/lib/auth/types";
import { ForbiddenError } from "@/lib/errors";
import { isApiTokenPrincipal } from "./principal";

/** The services a caller may act on: a token's list, or every service for a signed-in user. */
export function serviceScope(user: SessionUser): readonly string[] {
  return isApiTokenPrincipal(user) ? user.services : ["*"];
}

export function inServiceScope(user: SessionUser, service: string): boolean {
  const scope = serviceScope(user);
  return scope.includes("*") || scope.includes(service);
}

export function assertServiceScope(user: SessionUser, service: string): void {
  if (!inServiceScope(user, service)) throw new ForbiddenError(`This API token is not allowed to act on ${service}.`);
}
