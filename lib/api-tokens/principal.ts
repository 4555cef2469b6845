import type { SessionUser } from "@/lib/auth/types";

/** Who an API token acts as: a role, like a user, narrowed to some services (`["*"]` for all). */
export type ApiTokenPrincipal = SessionUser & { kind: "api_token"; tokenId: number; services: string[]; owner: string };

export function isApiTokenPrincipal(user: SessionUser | null | undefined): user is ApiTokenPrincipal {
  return !!user && (user as Partial<ApiTokenPrincipal>).kind === "api_token";
}

/**
 * Who counts as the requester for the two-person rule: a token's owner (the admin who created it), so the owner
 * cannot approve what their own token asked for; a person is themselves.
 */
export function requesterName(user: SessionUser): string {
  return isApiTokenPrincipal(user) ? user.owner : user.username;
}

/** The audit/deployment name of a token: never the token itself. */
export const tokenActorName = (name: string) => `token:${name}`;
