import { and, desc, eq, gt, inArray, lte } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rollbackRequests, type RollbackRequest, type RollbackRequestStatus } from "@/lib/db/schema/rollback-requests";
import { NotFoundError } from "@/lib/errors";

export function getRollbackRequest(db: Db, id: string): RollbackRequest {
  const row = db.select().from(rollbackRequests).where(eq(rollbackRequests.id, id)).get();
  if (!row) throw new NotFoundError(`Rollback request ${id} does not exist.`);
  return row;
}

export function listRollbackRequests(db: Db, service: string, limit = 20): RollbackRequest[] {
  return db
    .select()
    .from(rollbackRequests)
    .where(eq(rollbackRequests.service, service))
    .orderBy(desc(rollbackRequests.createdAt))
    .limit(limit)
    .all();
}

export function pendingRequest(db: Db, service: string, now = Date.now()): RollbackRequest | undefined {
  return db
    .select()
    .from(rollbackRequests)
    .where(
      and(
        eq(rollbackRequests.service, service),
        eq(rollbackRequests.status, "pending"),
        gt(rollbackRequests.expiresAt, now),
      ),
    )
    .get();
}

/**
 * Moves a request from one of `from` to the patch's status only if it is still there (and, for pending ones, not
 * past its expiry when `unexpiredAt` is given): the caller that gets `true` is the only one that acts on it.
 */
export function transitionRequest(
  db: Db,
  id: string,
  from: readonly RollbackRequestStatus[],
  patch: Partial<Omit<RollbackRequest, "id">> & { status: RollbackRequestStatus },
  unexpiredAt?: number,
): boolean {
  const conditions = [eq(rollbackRequests.id, id), inArray(rollbackRequests.status, [...from])];
  if (unexpiredAt !== undefined) conditions.push(gt(rollbackRequests.expiresAt, unexpiredAt));
  return (
    db
      .update(rollbackRequests)
      .set(patch)
      .where(and(...conditions))
      .run().changes === 1
  );
}

/** Pending requests past their expiry, marked expired; returns them. */
export function expirePending(db: Db, now: number, service?: string): RollbackRequest[] {
  const conditions = [eq(rollbackRequests.status, "pending"), lte(rollbackRequests.expiresAt, now)];
  if (service) conditions.push(eq(rollbackRequests.service, service));
  return db
    .update(rollbackRequests)
    .set({ status: "expired", decidedAt: now, decisionReason: "nobody approved it within its time" })
    .where(and(...conditions))
    .returning()
    .all();
}
