import { and, eq, isNull } from "drizzle-orm";
import { recordAudit } from "@/lib/audit/record";
import type { SessionUser } from "@/lib/auth/types";
import type { Db } from "@/lib/db/client";
import { apiTokens } from "@/lib/db/schema/api-tokens";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";

/** Revokes a token at once: the next request carrying it is refused. Admins only. */
export function revokeApiToken(db: Db, id: number, admin: SessionUser, now = Date.now()): void {
  if (admin.role !== "admin") throw new ForbiddenError("Only an admin can revoke API tokens.");
  db.$client.transaction(() => {
    const row = db.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
    if (!row) throw new NotFoundError(`API token ${id} does not exist.`);
    const done = db
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .run();
    if (done.changes === 0) throw new ConflictError(`API token ${row.name} (${row.prefix}…) is already revoked.`);
    recordAudit(db, {
      actor: admin.username,
      role: admin.role,
      action: "api_token.revoke",
      target: `api_token:${id}`,
      details: { name: row.name, prefix: row.prefix },
    });
  })();
}
