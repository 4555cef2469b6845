import type { CheckName, MonitoringPlan } from "./schema";

/** One thing the plan does after a switch, at `dueAt`, judging the live colour over [windowFrom, windowTo). Epoch ms. */
export type PlanItem = {
  key: string;
  kind: "checkpoint" | "hourly" | "daily";
  name: string;
  dueAt: number;
  windowFrom: number;
  windowTo: number;
  checks: CheckName[];
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The UTC `HH:MM` occurrences in (after, until]. */
function dailyTimes(atUtc: string, after: number, until: number): number[] {
  const [h, m] = atUtc.split(":").map(Number) as [number, number];
  const day = new Date(after);
  let t = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), h, m);
  const out: number[] = [];
  for (; t <= until; t += 24 * HOUR) if (t > after) out.push(t);
  return out;
}

/** Every item of the plan for a switch at `switchedAt`, in the order they fall due. */
export function planItems(plan: MonitoringPlan, switchedAt: number): PlanItem[] {
  if (!plan.enabled) return [];
  const items: PlanItem[] = [];
  const checkpoints = [...plan.checkpoints].sort((a, b) => a.atMinutes - b.atMinutes);
  let previous = switchedAt;
  for (const c of checkpoints) {
    const dueAt = switchedAt + c.atMinutes * MINUTE;
    items.push({
      key: `checkpoint:${c.name}`,
      kind: "checkpoint",
      name: c.name,
      dueAt,
      windowFrom: c.sinceSwitch ? switchedAt : previous,
      windowTo: dueAt,
      checks: c.checks,
    });
    previous = dueAt;
  }
  const h = plan.hourly;
  let from = switchedAt + h.fromMinutes * MINUTE;
  const until = switchedAt + h.untilMinutes * MINUTE;
  // Every `everyMinutes` from `fromMinutes`; the last report ends at `untilMinutes`, so the span is covered whole.
  for (let due = Math.min(from + h.everyMinutes * MINUTE, until); from < until;) {
    const minutes = Math.round((due - switchedAt) / MINUTE);
    const label = minutes % 60 === 0 ? `T+${minutes / 60} h` : `T+${minutes} min`;
    items.push({
      key: `hourly:${minutes}`,
      kind: "hourly",
      name: `${label} report`,
      dueAt: due,
      windowFrom: from,
      windowTo: due,
      checks: h.checks,
    });
    from = due;
    due = Math.min(due + h.everyMinutes * MINUTE, until);
  }
  const d = plan.daily;
  for (const due of dailyTimes(d.atUtc, switchedAt + d.afterMinutes * MINUTE, switchedAt + d.untilHours * HOUR)) {
    const date = new Date(due).toISOString().slice(0, 16).replace("T", " ");
    items.push({
      key: `daily:${new Date(due).toISOString().slice(0, 10)}`,
      kind: "daily",
      name: `Daily report ${date} UTC`,
      dueAt: due,
      windowFrom: Math.max(switchedAt, due - 24 * HOUR),
      windowTo: due,
      checks: ["error_rate", "p95"],
    });
  }
  return items.sort((a, b) => a.dueAt - b.dueAt);
}

/** When the plan ends: its last item, or the switch itself for an empty plan. */
export function planEndsAt(plan: MonitoringPlan, switchedAt: number): number {
  return planItems(plan, switchedAt).reduce((end, i) => Math.max(end, i.dueAt), switchedAt);
}
