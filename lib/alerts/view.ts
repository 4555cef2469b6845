import type { AlertMetric, ServiceConfig, Slot } from "@/lib/config/schema";
import type { Db } from "@/lib/db/client";
import { ALERT_UNITS, describeRule } from "./rule-figure";
import { activeSilences, alertStatesOf, silenceOf } from "./store";

export type AlertView = {
  rule: string;
  metric: AlertMetric;
  /** "error rate > 1 % for 5 min" */
  condition: string;
  unit: string;
  state: "inactive" | "pending" | "firing" | "resolved";
  slot: Slot | null;
  value: number | null;
  /** When the rule went pending, began firing, or resolved, by its state. */
  since: number | null;
  firingSince: number | null;
  resolvedAt: number | null;
  paged: boolean;
  silence: { until: number; reason: string; by: string } | null;
};

/** Each declared rule of a service as it stands: its stored state, and the silence covering it now. */
export function alertsView(db: Db, service: ServiceConfig, now = Date.now()): AlertView[] {
  const states = new Map(alertStatesOf(db, service.name).map((s) => [s.rule, s]));
  const silences = activeSilences(db, service.name, now);
  return service.alerts.rules.map((rule) => {
    const s = states.get(rule.name);
    const silence = silenceOf(silences, rule.name);
    const state = s?.state ?? "inactive";
    return {
      rule: rule.name,
      metric: rule.metric,
      condition: describeRule(rule),
      unit: ALERT_UNITS[rule.metric],
      state,
      slot: s?.slot ?? null,
      value: s?.value ?? null,
      since:
        state === "pending"
          ? (s?.pendingSince ?? null)
          : state === "firing"
            ? (s?.firingSince ?? null)
            : (s?.resolvedAt ?? null),
      firingSince: s?.firingSince ?? null,
      resolvedAt: s?.resolvedAt ?? null,
      paged: s?.notifiedAt != null,
      silence: silence && { until: silence.endsAt, reason: silence.reason, by: silence.createdBy },
    };
  });
}

export const firingAlerts = (alerts: readonly AlertView[]) => alerts.filter((a) => a.state === "firing");
