// Test support only: API tokens as the admin ada (user 1) hands them out.
import { createApiToken } from "@/lib/api-tokens/create";
import type { Db } from "@/lib/db/client";
import type { Fixture } from "./engine-fixture";

/** A new API token owned by the admin ada; returns the token itself (shown once). */
export function adaToken(db: Db, input: Parameters<typeof createApiToken>[1]): string {
  return createApiToken(db, input, { id: 1, username: "ada", role: "admin" }).token;
}

/** The token CI deploys the fixture's service with: a release manager's, scoped to that service. */
export function ciToken(fx: Pick<Fixture, "ctx" | "service">): string {
  return adaToken(fx.ctx.db, { name: "ci", role: "release_manager", services: [fx.service.name] });
}
