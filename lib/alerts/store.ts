import { and, eq, gt } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { alertSilences, alertStates, type AlertSilence, type AlertState } from "@/lib/db/schema";

export function alertStatesOf(db: Db, service?: string): AlertState[] {
  const q = db.select().from(alertStates);
  return service ? q.where(eq(alertStates.service, service)).all() : q.all();
}

export function saveAlertState(db: Db, row: AlertState): void {
  db.insert(alertStates)
    .values(row)
    .onConflictDoUpdate({ target: [alertStates.service, alertStates.rule], set: row })
    .run();
}

export function deleteAlertState(db: Db, service: string, rule: string): void {
  db.delete(alertStates)
    .where(and(eq(alertStates.service, service), eq(alertStates.rule, rule)))
    .run();
}

/** Silences of the service still running at `now`: of one rule, or of all its rules (rule null). */
export function activeSilences(db: Db, service: string, now: number): AlertSilence[] {
  return db
    .select()
    .from(alertSilences)
    .where(and(eq(alertSilences.service, service), gt(alertSilences.endsAt, now)))
    .all();
}

/** The silence that covers a rule now, the one ending last when several do. */
export function silenceOf(silences: readonly AlertSilence[], rule: string): AlertSilence | null {
  const covering = silences.filter((s) => s.rule === null || s.rule === rule);
  return covering.sort((a, b) => b.endsAt - a.endsAt)[0] ?? null;
}

export function insertSilence(db: Db, row: Omit<AlertSilence, "id">): AlertSilence {
  return db.insert(alertSilences).values(row).returning().get();
}
