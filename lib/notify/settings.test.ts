import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDb } from "@/lib/auth/test-db";
import { NotFoundError } from "@/lib/errors";
import { listOutbox } from "./outbox-rows";
import { checkChannelsReachable } from "./reachable";
import { redactedChannels } from "./redacted-channels";
import { sendTestNotification } from "./send-test";
import { configWith, startReceiver, type Receiver } from "./test-receiver";

const SLACK_PORT = 49030;
const PD_PORT = 49031;
const HANG_PORT = 49032;
const CLOSED_PORT = 49039;
const HOOK_PATH = "/services/T0/B0/test-hook-secret";
const ROUTING_KEY = "pd-routing-key-abcdef0123456789";
const env = { GL_TEST_HOOK: `http://127.0.0.1:${SLACK_PORT}${HOOK_PATH}`, GL_TEST_PD: ROUTING_KEY };

let fx: ReturnType<typeof tempDb>;
const receivers: Receiver[] = [];
beforeEach(() => (fx = tempDb()));
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  fx.close();
});
async function receiver(port: number, respond?: Parameters<typeof startReceiver>[1]) {
  const r = await startReceiver(port, respond);
  receivers.push(r);
  return r;
}

describe("sendTestNotification", () => {
  it("posts a test message to Slack and keeps the attempt", async () => {
    const hook = await receiver(SLACK_PORT);
    const cfg = configWith([{ type: "slack", name: "deployments", webhookUrl: { fromEnv: "GL_TEST_HOOK" } }]);
    expect(await sendTestNotification(fx.db, cfg, "privatetrade", "deployments", { env })).toEqual({ ok: true });
    expect(hook.requests).toEqual([
      {
        method: "POST",
        path: HOOK_PATH,
        body: {
          text: "Greenlight test message for privatetrade (channel deployments)",
          blocks: [
            {
              type: "section",
              text: {
                type: "mrkdwn",
                text: "*Test message* · privatetrade\nGreenlight test message for privatetrade (channel deployments)",
              },
            },
          ],
        },
      },
    ]);
    expect(listOutbox(fx.db)).toMatchObject([{ kind: "test", status: "sent", attempts: 1, channel: "deployments" }]);
  });

  it("sends PagerDuty an info trigger resolved at once, under a test dedup key", async () => {
    const pd = await receiver(PD_PORT, () => ({ status: 202 }));
    const cfg = configWith([
      { type: "pagerduty", routingKey: { fromEnv: "GL_TEST_PD" }, eventsUrl: `http://127.0.0.1:${PD_PORT}/v2/enqueue` },
    ]);
    expect(await sendTestNotification(fx.db, cfg, "privatetrade", "pagerduty", { env })).toEqual({ ok: true });
    expect(pd.requests.map((r) => r.body)).toEqual([
      {
        routing_key: ROUTING_KEY,
        event_action: "trigger",
        dedup_key: "greenlight-privatetrade-test",
        payload: {
          summary: "Test message: Greenlight test message for privatetrade (channel pagerduty)",
          source: "greenlight",
          severity: "info",
          custom_details: { kind: "test", service: "privatetrade" },
        },
      },
      { routing_key: ROUTING_KEY, event_action: "resolve", dedup_key: "greenlight-privatetrade-test" },
    ]);
    expect(JSON.stringify(listOutbox(fx.db))).not.toContain(ROUTING_KEY);
  });

  it("answers with an error naming the host only when the channel fails", async () => {
    const cfg = configWith([{ type: "slack", webhookUrl: `http://127.0.0.1:${CLOSED_PORT}${HOOK_PATH}` }]);
    const result = await sendTestNotification(fx.db, cfg, "privatetrade", "slack", { env });
    expect(result).toEqual({ ok: false, error: `cannot reach 127.0.0.1:${CLOSED_PORT} (ECONNREFUSED)` });
    expect(listOutbox(fx.db)).toMatchObject([
      { kind: "test", status: "dead", lastError: `cannot reach 127.0.0.1:${CLOSED_PORT} (ECONNREFUSED)` },
    ]);
    await expect(sendTestNotification(fx.db, cfg, "privatetrade", "nope")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("says which variable is missing, not its value", async () => {
    const cfg = configWith([{ type: "slack", webhookUrl: { fromEnv: "GL_TEST_UNSET" } }]);
    expect(await sendTestNotification(fx.db, cfg, "privatetrade", "slack", { env })).toEqual({
      ok: false,
      error: "environment variable GL_TEST_UNSET is not set",
    });
  });
});

describe("redactedChannels", () => {
  it("shows type, name and host only", () => {
    const cfg = configWith([
      { type: "slack", webhookUrl: "https://hooks.slack.com/services/T1/B2/abcdefsecret" },
      { type: "slack", name: "env-hook", webhookUrl: { fromEnv: "GL_TEST_HOOK" } },
      { type: "slack", name: "unset", webhookUrl: { fromEnv: "GL_TEST_UNSET" } },
      { type: "pagerduty", routingKey: ROUTING_KEY },
    ]);
    const channels = redactedChannels(cfg, undefined, env);
    expect(channels).toEqual([
      { service: "privatetrade", type: "slack", name: "slack", target: "hooks.slack.com/…" },
      { service: "privatetrade", type: "slack", name: "env-hook", target: `127.0.0.1:${SLACK_PORT}/…` },
      {
        service: "privatetrade",
        type: "slack",
        name: "unset",
        target: "(environment variable GL_TEST_UNSET is not set)",
      },
      { service: "privatetrade", type: "pagerduty", name: "pagerduty", target: "events.pagerduty.com/…" },
    ]);
    expect(JSON.stringify(channels)).not.toMatch(/abcdefsecret|test-hook-secret|pd-routing-key/);
    expect(redactedChannels(cfg, "other", env)).toEqual([]);
  });
});

describe("checkChannelsReachable", () => {
  it("asks each channel's host (never the secret path) and warns about unreachable ones", async () => {
    const hook = await receiver(SLACK_PORT, () => ({ status: 404 }));
    await receiver(HANG_PORT, () => "hang");
    const ok = await checkChannelsReachable(
      configWith([{ type: "slack", webhookUrl: { fromEnv: "GL_TEST_HOOK" } }]),
      "privatetrade",
      { env },
    );
    expect(ok).toEqual({ ok: true, detail: `slack (slack): 127.0.0.1:${SLACK_PORT} reachable` });
    expect(hook.requests).toEqual([{ method: "HEAD", path: "/", body: null }]);

    const cfg = configWith([
      { type: "slack", webhookUrl: `http://127.0.0.1:${CLOSED_PORT}${HOOK_PATH}` },
      { type: "pagerduty", routingKey: ROUTING_KEY, eventsUrl: `http://127.0.0.1:${HANG_PORT}/v2/enqueue` },
    ]);
    expect(await checkChannelsReachable(cfg, "privatetrade", { env, timeoutMs: 300 })).toEqual({
      ok: false,
      detail: `notifications may not arrive: slack (slack): 127.0.0.1:${CLOSED_PORT} unreachable (ECONNREFUSED); pagerduty (pagerduty): 127.0.0.1:${HANG_PORT} unreachable (no answer within 0.3 s)`,
    });
    expect(await checkChannelsReachable(configWith([]), "privatetrade")).toEqual({
      ok: true,
      detail: "no notification channels configured",
    });
  });
});
