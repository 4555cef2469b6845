import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { incidents, type Incident, type IncidentKind } from "@/lib/db/schema/incidents";

export function openIncidentOf(db: Db, service: string): Incident | undefined {
  return db
    .select()
    .from(incidents)
    .where(and(eq(incidents.service, service), isNull(incidents.resolvedAt)))
    .get();
}

export function openIncidents(db: Db): Incident[] {
  return db.select().from(incidents).where(isNull(incidents.resolvedAt)).orderBy(desc(incidents.openedAt)).all();
}

/**
 * Opens the service's incident, or brings the open one up to date. `opened` is true only for the call that created
 * it (the one unique index allows one open incident per service), so an alarm is raised once.
 */
export function raiseIncident(
  db: Db,
  input: {
    service: string;
    kind: IncidentKind;
    problem: string;
    deploymentId?: string | null;
    nextRetryAt?: number | null;
  },
  now = Date.now(),
): { incident: Incident; opened: boolean } {
  return db.$client
    .transaction(() => {
      const open = openIncidentOf(db, input.service);
      if (open) {
        // A failed release that still serves is the more precise account; a later live check does not replace it.
        const kind = open.kind === "failed_release" ? open.kind : input.kind;
        db.update(incidents)
          .set({
            kind,
            problem: kind === input.kind ? input.problem : open.problem,
            deploymentId: input.deploymentId ?? open.deploymentId,
            updatedAt: now,
            ...(input.nextRetryAt !== undefined && kind === input.kind ? { nextRetryAt: input.nextRetryAt } : {}),
          })
          .where(eq(incidents.id, open.id))
          .run();
        return { incident: openIncidentOf(db, input.service)!, opened: false };
      }
      const incident = db
        .insert(incidents)
        .values({
          service: input.service,
          kind: input.kind,
          problem: input.problem,
          deploymentId: input.deploymentId ?? null,
          openedAt: now,
          updatedAt: now,
          nextRetryAt: input.nextRetryAt ?? null,
        })
        .returning()
        .get();
      return { incident, opened: true };
    })
    .immediate();
}

/** Resolves the service's open incident; returns it, or undefined when none was open. */
export function resolveIncident(db: Db, service: string, resolution: string, now = Date.now()): Incident | undefined {
  return db
    .update(incidents)
    .set({ resolvedAt: now, updatedAt: now, resolution })
    .where(and(eq(incidents.service, service), isNull(incidents.resolvedAt)))
    .returning()
    .get();
}

/** Counts one more retry of the incident's rollback and when the next may run. */
export function noteRetry(db: Db, id: number, nextRetryAt: number | null, now = Date.now()): void {
  db.$client
    .prepare("UPDATE incidents SET retry_attempts = retry_attempts + 1, next_retry_at = ?, updated_at = ? WHERE id = ?")
    .run(nextRetryAt, now, id);
}
