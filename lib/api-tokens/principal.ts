import type { SessionUser } from "@/lib/auth/types";

/** Who an API token acts as: a role, like a user, narrowed to some services (`["*"]` for all). */
export type ApiTokenPrincipal = SessionUser & { kind: "api_token"; tokenId: number; services: string[] };

export function isApiTokenPrincipal(user: SessionUser | null | undefined): user is ApiTokenPrincipal {
  return !!user && (user as Partial<ApiTokenPrincipal>).kind === "api_token";
}

/** The audit/deployment name of a token: never the token itself. */
export const tokenActorName = (name: string) => `token:${name}`;
