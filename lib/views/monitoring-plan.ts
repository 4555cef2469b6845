import type { ServiceConfig } from "@/lib/config/schema";
import type { Db } from "@/lib/db/client";
import type { Deployment } from "@/lib/db/schema";
import { servingDeployment } from "@/lib/deploy/store";
import { checkpointsOf } from "@/lib/plan/checkpoint-job";
import { planItems } from "@/lib/plan/items";

export type PlanRowStatus = "passed" | "failed" | "inconclusive" | "pending" | "not_run";
export type PlanRow = {
  key: string;
  kind: "checkpoint" | "hourly" | "daily";
  name: string;
  dueAt: number;
  /** Minutes after the switch. */
  offsetMinutes: number;
  status: PlanRowStatus;
  summary: string | null;
};

/**
 * The deployment's monitoring plan as a timeline: each item's verdict once judged, pending while the deployment still
 * serves, "not run" once it no longer does (a later release switched, or it was rolled back). Null before a switch.
 */
export function planTimeline(db: Db, dep: Deployment, service: ServiceConfig | undefined): PlanRow[] | null {
  if (dep.switchedAt === null || !service) return null;
  const judged = new Map(checkpointsOf(db, dep.id).map((c) => [c.key, c]));
  const serves = dep.status === "succeeded" && servingDeployment(db, dep.service)?.id === dep.id;
  const planned = planItems(service.monitoring, dep.switchedAt);
  // Items judged under an earlier plan are shown too: what was sent stays on the record.
  const keys = new Set(planned.map((i) => i.key));
  const rows: PlanRow[] = planned.map((item) => {
    const verdict = judged.get(item.key);
    return {
      key: item.key,
      kind: item.kind,
      name: item.name,
      dueAt: item.dueAt,
      offsetMinutes: (item.dueAt - dep.switchedAt!) / 60_000,
      status: verdict ? verdict.status : serves ? "pending" : "not_run",
      summary: verdict?.summary ?? null,
    };
  });
  for (const c of judged.values())
    if (!keys.has(c.key))
      rows.push({
        key: c.key,
        kind: c.kind,
        name: c.name,
        dueAt: c.dueAt,
        offsetMinutes: (c.dueAt - dep.switchedAt) / 60_000,
        status: c.status,
        summary: c.summary,
      });
  return rows.sort((a, b) => a.dueAt - b.dueAt);
}
