import type { NotifyEvent } from "@/lib/deploy/context";

export type NotifyKind = NotifyEvent["kind"] | "test";
export type OutboundEvent = Omit<NotifyEvent, "kind"> & { kind: NotifyKind };

export const TITLES: Record<NotifyKind, string> = {
  deployment_started: "Deployment started",
  ready_to_promote: "Ready to promote",
  promoted: "Promoted",
  succeeded: "Deployment succeeded",
  failed: "Deployment failed",
  rollback_started: "Rollback started",
  rolled_back: "Rollback completed",
  rollback_failed: "Rollback failed",
  automatic_rollback: "Automatic rollback",
  rollback_target_lost: "Rollback target lost",
  live_down: "Live colour down",
  live_recovered: "Live colour recovered",
  serving_failed_release: "Serving a failed release",
  lock_released: "Deploy lock force-released",
  checkpoint_judged: "Monitoring checkpoint",
  checkpoint_failed: "Monitoring checkpoint failed",
  alert_firing: "Alert firing",
  alert_resolved: "Alert resolved",
  schedule_preflight: "Scheduled deployment: preflight",
  schedule_announcement: "Scheduled deployment",
  schedule_missed: "Scheduled deployment missed",
  schedule_failed: "Scheduled deployment not started",
  test: "Test message",
};

/** PagerDuty pages for these; a later success or completed rollback resolves the incident. */
export const PAGING_KINDS: ReadonlySet<NotifyKind> = new Set([
  "automatic_rollback",
  "rollback_failed",
  "rollback_target_lost",
  "live_down",
  "serving_failed_release",
  "checkpoint_failed",
  "alert_firing",
]);
export const RESOLVING_KINDS: ReadonlySet<NotifyKind> = new Set([
  "rolled_back",
  "succeeded",
  "live_recovered",
  "alert_resolved",
]);

/** Slack reads <...> as links and mentions (<!channel>); text from people must not ping anyone. */
export const slackEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

type Trigger = { metric?: unknown; value?: unknown; threshold?: unknown };

function triggerLine(event: OutboundEvent): string | null {
  const t = event.detail?.trigger as Trigger | undefined;
  if (!t || typeof t !== "object") return null;
  return `Trigger: ${String(t.metric)} ${String(t.value)} (threshold ${String(t.threshold)})`;
}

export type SlackPayload = { text: string; blocks: Array<Record<string, unknown>> };

export function slackPayload(event: OutboundEvent): SlackPayload {
  const lines = [`*${TITLES[event.kind]}* · ${slackEscape(event.service)}`, slackEscape(event.message)];
  const trigger = triggerLine(event);
  if (trigger) lines.push(slackEscape(trigger));
  const blocks: Array<Record<string, unknown>> = [
    { type: "section", text: { type: "mrkdwn", text: lines.join("\n") } },
  ];
  if (event.deploymentId)
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `Deployment ${slackEscape(event.deploymentId)}` }],
    });
  return { text: slackEscape(event.message), blocks };
}

export type PagerDutyBody =
  | {
      event_action: "trigger";
      dedup_key: string;
      payload: {
        summary: string;
        source: "greenlight";
        severity: "critical" | "info";
        custom_details: Record<string, unknown>;
      };
    }
  | { event_action: "resolve"; dedup_key: string };

export const pagerDutyDedupKey = (service: string) => `greenlight-${service}`;

/** The Events API v2 body without `routing_key`, which is added at send time from the configuration. */
export function pagerDutyTrigger(
  event: OutboundEvent,
  severity: "critical" | "info" = "critical",
  dedupKey = pagerDutyDedupKey(event.service),
): PagerDutyBody {
  return {
    event_action: "trigger",
    dedup_key: dedupKey,
    payload: {
      summary: `${TITLES[event.kind]}: ${event.message}`.slice(0, 1024),
      source: "greenlight",
      severity,
      custom_details: {
        kind: event.kind,
        service: event.service,
        ...(event.deploymentId ? { deploymentId: event.deploymentId } : {}),
        ...(event.detail ?? {}),
      },
    },
  };
}

export function pagerDutyResolve(service: string, dedupKey = pagerDutyDedupKey(service)): PagerDutyBody {
  return { event_action: "resolve", dedup_key: dedupKey };
}
