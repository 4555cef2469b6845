import type { Config } from "@/lib/config/schema";
import type { NotifyEvent } from "@/lib/deploy/context";
import { scrubDetails, scrubText } from "@/lib/audit/scrub";
import { serviceNamed, serviceSecrets, type Env } from "./channels";
import { insertOutboxRow, type OutboxDb } from "./outbox-rows";
import {
  PAGING_KINDS,
  RESOLVING_KINDS,
  pagerDutyDedupKey,
  pagerDutyResolve,
  pagerDutyTrigger,
  slackPayload,
  type PagerDutyBody,
} from "./payloads";

function openIncident(db: OutboxDb, service: string, channel: string, dedupKey: string): boolean {
  const last = db.$client
    .prepare(
      `SELECT json_extract(payload, '$.event_action') AS action FROM notification_outbox
       WHERE service = ? AND channel = ? AND channel_type = 'pagerduty' AND kind != 'test' AND dedup_key = ?
       ORDER BY id DESC LIMIT 1`,
    )
    .get(service, channel, dedupKey) as { action: string } | undefined;
  return last?.action === "trigger";
}

/**
 * Queues one row per channel of the event's service that wants it (Slack: every event; PagerDuty: pages, and the
 * resolve that follows). Synchronous SQLite writes only: the engine never waits on a channel.
 */
export function enqueueNotification(
  db: OutboxDb,
  config: Config,
  event: NotifyEvent,
  env: Env = process.env,
): number[] {
  const service = serviceNamed(config, event.service);
  if (!service || service.notifications.length === 0) return [];
  const secrets = serviceSecrets(service, env);
  const safe: NotifyEvent = {
    ...event,
    message: scrubText(event.message, secrets),
    ...(event.detail ? { detail: scrubDetails(event.detail, secrets) as Record<string, unknown> } : {}),
  };
  const sqlite = db.$client;
  return sqlite.transaction(() => {
    const ids: number[] = [];
    for (const channel of service.notifications) {
      const base = { service: service.name, channel: channel.name, channelType: channel.type, kind: event.kind };
      if (channel.type === "slack") {
        ids.push(insertOutboxRow(db, { ...base, payload: JSON.stringify(slackPayload(safe)), dedupKey: null }));
        continue;
      }
      const dedupKey = event.dedupKey ?? pagerDutyDedupKey(service.name);
      let body: PagerDutyBody | null = null;
      if (PAGING_KINDS.has(event.kind)) body = pagerDutyTrigger(safe, "critical", dedupKey);
      else if (RESOLVING_KINDS.has(event.kind) && openIncident(db, service.name, channel.name, dedupKey))
        body = pagerDutyResolve(service.name, dedupKey);
      if (body) ids.push(insertOutboxRow(db, { ...base, payload: JSON.stringify(body), dedupKey }));
    }
    return ids;
  })();
}
