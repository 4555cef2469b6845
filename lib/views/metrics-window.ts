import type { Db } from "@/lib/db/client";
import { and, eq, inArray } from "drizzle-orm";
import { deploymentSteps } from "@/lib/db/schema";
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

/** Markers of a service's recent deployments (newest `limit`), with their rollback step start times. */
export function serviceMarkers(db: Db, service: string, limit = 50): ChartMarker[] {
  const deployments = listDeployments(db, service, limit);
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
  return buildMarkers(deployments, steps);
}
