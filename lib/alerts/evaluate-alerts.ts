import type { AlertRule, Config, ServiceConfig, Slot } from "@/lib/config/schema";
import type { Db } from "@/lib/db/client";
import type { AlertState } from "@/lib/db/schema";
import type { NotifyEvent } from "@/lib/deploy/context";
import { unfinishedDeployments } from "@/lib/deploy/store";
import { readWindowStats } from "@/lib/metrics/window-stats";
import { alertDedupKey, describeRule, duration, ruleFigure } from "./rule-figure";
import { activeSilences, alertStatesOf, deleteAlertState, saveAlertState, silenceOf } from "./store";

export type AlertRound = {
  db: Db;
  config: Config;
  /** The colour each service's load balancer sends traffic to (`liveSlotsOf(config)()`). */
  liveSlots: Record<string, Slot | undefined>;
  notify?: (event: NotifyEvent) => void;
  now?: number;
};

export type AlertOutcome = {
  service: string;
  rule: string;
  state: AlertState["state"] | "held";
  paged?: "firing" | "resolved";
};

const clock = (ms: number) => `${new Date(ms).toISOString().slice(11, 19)} UTC`;

/**
 * One round of the alert rules on each service's live colour. A rule whose figure stays above its threshold for its
 * `forSeconds` fires; its firing is queued once for Slack and PagerDuty (its own dedup key) in the same transaction
 * that records it, so a restart never pages it again; a silenced firing is recorded but queued only once the silence
 * ends. A rule firing that was paged is resolved (and PagerDuty's incident with it) when the figure drops back.
 * While a deployment's watch judges the live colour (its target serves, it is unfinished) its rollback triggers
 * decide: the service's rules neither move nor page.
 */
export function evaluateAlerts(round: AlertRound): AlertOutcome[] {
  const now = round.now ?? Date.now();
  const out: AlertOutcome[] = [];
  const unfinished = unfinishedDeployments(round.db);
  for (const service of round.config.services) {
    const slot = round.liveSlots[service.name];
    const states = new Map(alertStatesOf(round.db, service.name).map((s) => [s.rule, s]));
    retireRemovedRules(round, service, states);
    if (!slot) continue;
    const held = unfinished.some((d) => d.service === service.name && d.toSlot === slot);
    const silences = activeSilences(round.db, service.name, now);
    for (const rule of service.alerts.rules) {
      const before = states.get(rule.name);
      if (held) {
        // A pending rule starts over after the watch: the rollback triggers judged those seconds.
        if (before?.state === "pending") saveAlertState(round.db, { ...before, ...calm(before), updatedAt: now });
        out.push({ service: service.name, rule: rule.name, state: "held" });
        continue;
      }
      const stats = readWindowStats(round.db, {
        service: service.name,
        slot,
        windowSeconds: rule.windowSeconds,
        now: Math.floor(now / 1000) - 1,
      });
      const value = ruleFigure(rule, stats);
      const silenced = silenceOf(silences, rule.name) !== null;
      out.push(step(round, service, rule, { before, slot, value, silenced, now }));
    }
  }
  return out;
}

const calm = (s: AlertState): Pick<AlertState, "state" | "pendingSince"> => ({
  state: s.resolvedAt ? "resolved" : "inactive",
  pendingSince: null,
});

function step(
  round: AlertRound,
  service: ServiceConfig,
  rule: AlertRule,
  q: { before: AlertState | undefined; slot: Slot; value: number | null; silenced: boolean; now: number },
): AlertOutcome {
  const { now, slot, value } = q;
  const prev: AlertState = q.before ?? {
    service: service.name,
    rule: rule.name,
    state: "inactive",
    slot,
    value: null,
    pendingSince: null,
    firingSince: null,
    resolvedAt: null,
    notifiedAt: null,
    updatedAt: now,
  };
  const breaching = value !== null && value > rule.above;
  let next: AlertState = { ...prev, slot, value, updatedAt: now };
  let paged: AlertOutcome["paged"];
  if (breaching) {
    if (prev.state !== "firing" && (prev.state !== "pending" || prev.slot !== slot))
      next = { ...next, state: "pending", pendingSince: now };
    if (next.state === "pending" && now - (next.pendingSince ?? now) >= rule.forSeconds * 1000)
      next = { ...next, state: "firing", firingSince: now, resolvedAt: null, notifiedAt: null };
  } else if (prev.state === "pending") {
    next = { ...next, ...calm(prev) };
  } else if (prev.state === "firing") {
    next = { ...next, state: "resolved", pendingSince: null, resolvedAt: now };
  }
  const notify = round.notify;
  const sendFiring = next.state === "firing" && next.notifiedAt === null && !q.silenced && notify;
  const sendResolved = prev.state === "firing" && next.state === "resolved" && prev.notifiedAt !== null && notify;
  round.db.$client.transaction(() => {
    if (sendFiring) {
      next = { ...next, notifiedAt: now };
      notify({
        kind: "alert_firing",
        service: service.name,
        dedupKey: alertDedupKey(service.name, rule.name),
        message: `${service.name} alert ${rule.name} is firing on ${slot}: ${describeRule(rule, value)} (since ${clock(next.firingSince ?? now)}).`,
        detail: {
          rule: rule.name,
          slot,
          trigger: {
            metric: rule.metric,
            value: value === null ? null : Math.round(value * 100) / 100,
            threshold: rule.above,
          },
        },
      });
      paged = "firing";
    }
    if (sendResolved) {
      next = { ...next, notifiedAt: null };
      notify({
        kind: "alert_resolved",
        service: service.name,
        dedupKey: alertDedupKey(service.name, rule.name),
        message: `${service.name} alert ${rule.name} resolved on ${slot} after ${duration(now - (prev.firingSince ?? now))}.`,
        detail: { rule: rule.name, slot, metric: rule.metric, value },
      });
      paged = "resolved";
    }
    saveAlertState(round.db, next);
  })();
  return { service: service.name, rule: rule.name, state: next.state, ...(paged ? { paged } : {}) };
}

/** A rule taken out of greenlight.yaml while its firing was paged is resolved, so PagerDuty's incident closes. */
function retireRemovedRules(round: AlertRound, service: ServiceConfig, states: Map<string, AlertState>) {
  const declared = new Set(service.alerts.rules.map((r) => r.name));
  for (const [name, state] of states) {
    if (declared.has(name)) continue;
    round.db.$client.transaction(() => {
      if (state.state === "firing" && state.notifiedAt !== null)
        round.notify?.({
          kind: "alert_resolved",
          service: service.name,
          dedupKey: alertDedupKey(service.name, name),
          message: `${service.name} alert ${name} resolved: the rule is no longer in greenlight.yaml.`,
          detail: { rule: name, removed: true },
        });
      deleteAlertState(round.db, service.name, name);
    })();
    states.delete(name);
  }
}
