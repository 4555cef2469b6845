import type { Db } from "@/lib/db/client";
import { and, desc, eq, inArray, lte } from "drizzle-orm";
import { deployments as deploymentsTable, deploymentSteps } from "@/lib/db/schema";
import { listDeployments } from "@/lib/deploy/store";
import { ValidationError } from "@/lib/errors";
import { WINDOWS, type MetricsWindow } from "@/lib/metrics/query-window";
import { buildMarkers, type ChartMarker } from "./metrics-markers";
import { DEFAULT_WINDOW, WINDOW_NAMES } from "./metrics-window-names";

export { DEFAULT_WINDOW, LIVE_WINDOWS, WINDOW_NAMES } from "./metrics-window-names";

export const isMetricsWindow = (value: unknown): value is MetricsWindow =>
  typeof value === "string" && value in WINDOWS;

/** The ?window= of a request or page; absent means the default, anything else unknown is refused. */
export function parseWindow(value: string | null | undefined): MetricsWindow {
  if (value === null || value === undefined || value === "") return DEFAULT_WINDOW;
  if (!isMetricsWindow(value))
    throw new ValidationError(`Unknown window "${value}"; use one of ${WINDOW_NAMES.join(", ")}.`);
  return value;
}

/**
 * The ?from=&to= of a board (epoch seconds), or null when neither is given. Both must be whole seconds with from
 * before to; anything else is refused with what is wrong.
 */
export function parseRange(from: unknown, to: unknown): { from: number; to: number } | null {
  if (from === undefined && to === undefined) return null;
  const read = (v: unknown, name: string) => {
    const n = typeof v === "string" && /^\d{1,12}$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) throw new ValidationError(`${name} must be epoch seconds, not "${String(v ?? "")}".`);
    return n;
  };
  const range = { from: read(from, "from"), to: read(to, "to") };
  if (range.to <= range.from) throw new ValidationError("The range needs from before to.");
  return range;
}

/** Markers of a service's recent deployments (newest `limit`), with their rollback step start times. */
export function serviceMarkers(
  db: Db,
  service: string,
  limit = 50,
  range?: { from: number; to: number },
): ChartMarker[] {
  // A range in the past gets the deployments created up to its end (ids and times grow together).
  const deployments = range
    ? db
        .select()
        .from(deploymentsTable)
        .where(and(eq(deploymentsTable.service, service), lte(deploymentsTable.createdAt, range.to * 1000)))
        .orderBy(desc(deploymentsTable.createdAt))
        .limit(limit)
        .all()
    : listDeployments(db, service, limit);
  const rolledBack = deployments.filter((d) => d.status === "rolled_back").map((d) => d.id);
  const steps =
    rolledBack.length === 0
      ? []
      : db
          .select({
            deploymentId: deploymentSteps.deploymentId,
            phase: deploymentSteps.phase,
            startedAt: deploymentSteps.startedAt,
          })
          .from(deploymentSteps)
          .where(and(inArray(deploymentSteps.deploymentId, rolledBack), eq(deploymentSteps.phase, "rollback")))
          .all();
  return buildMarkers(deployments, steps, range ?? {});
}
