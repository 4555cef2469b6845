import type { Config } from "@/lib/config/schema";
import { channelOf, type Env } from "./channels";
import { deliver, type DeliverOptions } from "./deliver";
import { insertOutboxRow, type OutboxDb } from "./outbox-rows";
import { pagerDutyResolve, pagerDutyTrigger, slackPayload, type OutboundEvent } from "./payloads";

export type TestResult = { ok: true } | { ok: false; error: string };

/**
 * The settings page's "send test": posts straight to the channel with a short timeout and answers with the
 * outcome (errors name the host, never the URL or key). PagerDuty gets an info-level trigger resolved at once,
 * under its own dedup key so a real incident stays open. The attempt is kept in the outbox as sent or dead.
 */
export async function sendTestNotification(
  db: OutboxDb,
  config: Config,
  service: string,
  channelName: string,
  options: DeliverOptions & { env?: Env } = {},
): Promise<TestResult> {
  const channel = channelOf(config, service, channelName);
  const event: OutboundEvent = {
    kind: "test",
    service,
    message: `Greenlight test message for ${service} (channel ${channel.name})`,
  };
  const opts = { timeoutMs: 3_000, ...options };
  const payloads: unknown[] =
    channel.type === "slack"
      ? [slackPayload(event)]
      : [
          pagerDutyTrigger(event, "info", `greenlight-${service}-test`),
          pagerDutyResolve(service, `greenlight-${service}-test`),
        ];
  let result: Awaited<ReturnType<typeof deliver>> = { ok: true };
  for (const payload of payloads) {
    result = await deliver(config, { service, channel: channel.name, payload }, opts);
    if (!result.ok) break;
  }
  insertOutboxRow(db, {
    service,
    channel: channel.name,
    channelType: channel.type,
    kind: "test",
    payload: JSON.stringify(payloads[0]),
    dedupKey: null,
    status: result.ok ? "sent" : "dead",
    attempts: 1,
    lastError: result.ok ? null : result.error,
    sentAt: result.ok ? Date.now() : null,
  });
  return result.ok ? { ok: true } : { ok: false, error: result.error };
}
