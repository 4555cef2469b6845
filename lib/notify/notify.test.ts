import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDb } from "@/lib/auth/test-db";
import type { Config } from "@/lib/config/schema";
import { queryAudit } from "@/lib/audit/query";
import { enqueueNotification } from "./enqueue";
import { listOutbox, pruneOutbox } from "./outbox-rows";
import { notifier } from "./notifier";
import { configWith, startReceiver, type Receiver, type Responder } from "./test-receiver";
import { startOutboxWorker, type OutboxWorker } from "./worker";

const SLACK_PORT = 49020;
const PD_PORT = 49021;
const CLOSED_PORT = 49029;
const HOOK_PATH = "/services/T0GREEN/B0LIGHT/hook-secret-part";
const ROUTING_KEY = "R0UTING-KEY-0123456789abcdef";

const slack = (port: number) => ({ type: "slack", webhookUrl: `http://127.0.0.1:${port}${HOOK_PATH}` });
const pagerduty = (port: number) => ({
  type: "pagerduty",
  routingKey: ROUTING_KEY,
  eventsUrl: `http://127.0.0.1:${port}/v2/enqueue`,
});

let fx: ReturnType<typeof tempDb>;
const receivers: Receiver[] = [];
const workers: OutboxWorker[] = [];
const logs: string[] = [];

async function receiver(port: number, respond?: Responder) {
  const r = await startReceiver(port, respond);
  receivers.push(r);
  return r;
}
function worker(config: Config, extra: Partial<Parameters<typeof startOutboxWorker>[0]> = {}) {
  const w = startOutboxWorker({
    db: fx.db,
    config,
    intervalMs: 60_000,
    baseDelayMs: 20,
    maxDelayMs: 100,
    log: (m) => logs.push(m),
    ...extra,
  });
  workers.push(w);
  return w;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const outbox = () => listOutbox(fx.db);

beforeEach(() => {
  fx = tempDb();
  logs.length = 0;
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  fx.close();
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

describe("Slack", () => {
  it("posts the event's message with blocks to the webhook", async () => {
    const hook = await receiver(SLACK_PORT);
    const config = configWith([slack(SLACK_PORT)]);
    enqueueNotification(fx.db, config, {
      kind: "succeeded",
      service: "privatetrade",
      deploymentId: "dep-1",
      message: "Deployment privatetrade 2.0.0 completed successfully. Monitoring in progress.",
    });
    await worker(config).tick();
    expect(hook.requests).toEqual([
      {
        method: "POST",
        path: HOOK_PATH,
        body: {
          text: "Deployment privatetrade 2.0.0 completed successfully. Monitoring in progress.",
          blocks: [
            {
              type: "section",
              text: {
                type: "mrkdwn",
                text: "*Deployment succeeded* · privatetrade\nDeployment privatetrade 2.0.0 completed successfully. Monitoring in progress.",
              },
            },
            { type: "context", elements: [{ type: "mrkdwn", text: "Deployment dep-1" }] },
          ],
        },
      },
    ]);
    expect(outbox()).toMatchObject([
      { channel: "slack", channelType: "slack", kind: "succeeded", status: "sent", attempts: 1, lastError: null },
    ]);
  });

  it("escapes mentions and links in text people wrote, and shows a trigger", async () => {
    const hook = await receiver(SLACK_PORT);
    const config = configWith([slack(SLACK_PORT)]);
    enqueueNotification(fx.db, config, {
      kind: "automatic_rollback",
      service: "privatetrade",
      message: "error rate <!channel> & <http://x|y>",
      detail: { trigger: { metric: "errorRate", value: 4.2, threshold: 1 } },
    });
    await worker(config).tick();
    const body = hook.requests[0]?.body as { text: string; blocks: Array<{ text?: { text: string } }> };
    expect(body.text).toBe("error rate &lt;!channel&gt; &amp; &lt;http://x|y&gt;");
    expect(body.blocks[0]?.text?.text).toBe(
      "*Automatic rollback* · privatetrade\nerror rate &lt;!channel&gt; &amp; &lt;http://x|y&gt;\nTrigger: errorRate 4.2 (threshold 1)",
    );
  });
});

describe("PagerDuty", () => {
  it("triggers on an automatic rollback and resolves when the rollback completes, with the routing key only on the wire", async () => {
    const pd = await receiver(PD_PORT, () => ({ status: 202, body: '{"status":"success"}' }));
    const config = configWith([pagerduty(PD_PORT)]);
    const events = [
      { kind: "deployment_started", message: "rm started deploying privatetrade 2.0.0 to green" },
      { kind: "succeeded", message: "Deployment privatetrade 2.0.0 completed successfully. Monitoring in progress." },
      {
        kind: "automatic_rollback",
        message: "p95 2400 ms > 2000 ms",
        detail: { trigger: { metric: "p95Ms", value: 2400, threshold: 2000 } },
      },
      { kind: "rollback_started", message: "Rolling privatetrade back to 1.9.0: p95" },
      { kind: "rolled_back", message: "Rollback to 1.9.0 completed" },
      { kind: "succeeded", message: "again" },
    ] as const;
    for (const e of events)
      enqueueNotification(fx.db, config, { service: "privatetrade", deploymentId: "dep-2", ...e });
    await worker(config).tick();
    expect(pd.requests).toEqual([
      {
        method: "POST",
        path: "/v2/enqueue",
        body: {
          routing_key: ROUTING_KEY,
          event_action: "trigger",
          dedup_key: "greenlight-privatetrade",
          payload: {
            summary: "Automatic rollback: p95 2400 ms > 2000 ms",
            source: "greenlight",
            severity: "critical",
            custom_details: {
              kind: "automatic_rollback",
              service: "privatetrade",
              deploymentId: "dep-2",
              trigger: { metric: "p95Ms", value: 2400, threshold: 2000 },
            },
          },
        },
      },
      {
        method: "POST",
        path: "/v2/enqueue",
        body: { routing_key: ROUTING_KEY, event_action: "resolve", dedup_key: "greenlight-privatetrade" },
      },
    ]);
    expect(outbox().map((r) => [r.kind, r.status, r.dedupKey])).toEqual([
      ["automatic_rollback", "sent", "greenlight-privatetrade"],
      ["rolled_back", "sent", "greenlight-privatetrade"],
    ]);
    expect(JSON.stringify(outbox())).not.toContain(ROUTING_KEY);
  });

  it("keeps a channel's order: a resolve waits for its failing trigger", async () => {
    const pd = await receiver(PD_PORT, (n) => (n === 0 ? { status: 503 } : { status: 202 }));
    const config = configWith([pagerduty(PD_PORT)]);
    enqueueNotification(fx.db, config, {
      kind: "rollback_target_lost",
      service: "privatetrade",
      message: "blue is unhealthy",
    });
    enqueueNotification(fx.db, config, { kind: "succeeded", service: "privatetrade", message: "fine again" });
    const w = worker(config);
    await w.tick();
    expect(outbox().map((r) => [r.kind, r.status, r.attempts])).toEqual([
      ["rollback_target_lost", "pending", 1],
      ["succeeded", "pending", 0],
    ]);
    expect(outbox()[0]?.lastError).toBe(`HTTP 503 from 127.0.0.1:${PD_PORT}`);
    await sleep(150);
    await w.tick();
    expect(pd.requests.map((r) => (r.body as { event_action: string }).event_action)).toEqual([
      "trigger",
      "trigger",
      "resolve",
    ]);
    expect(outbox().map((r) => r.status)).toEqual(["sent", "sent"]);
  });
});

describe("retries and dead channels", () => {
  it("retries after a 500 and records the scrubbed error meanwhile", async () => {
    const hook = await receiver(SLACK_PORT, (n) =>
      n === 0 ? { status: 500, body: `failed for ${HOOK_PATH}` } : { status: 200 },
    );
    const config = configWith([slack(SLACK_PORT)]);
    enqueueNotification(fx.db, config, {
      kind: "rolled_back",
      service: "privatetrade",
      message: "Rollback to 1.9.0 completed",
    });
    const w = worker(config);
    await w.tick();
    const [first] = outbox();
    expect(first).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: `HTTP 500 from 127.0.0.1:${SLACK_PORT}: failed for ••••••`,
    });
    expect(first!.nextAttemptAt).toBeGreaterThan(first!.createdAt);
    await sleep(150);
    await w.tick();
    expect(outbox()).toMatchObject([{ status: "sent", attempts: 2, lastError: null }]);
    expect(hook.requests.map((r) => (r.body as { text: string }).text)).toEqual([
      "Rollback to 1.9.0 completed",
      "Rollback to 1.9.0 completed",
    ]);
  });

  it("gives up after the maximum attempts on a closed port, without secrets in the error or the log", async () => {
    const config = configWith([slack(CLOSED_PORT)]);
    enqueueNotification(fx.db, config, {
      kind: "failed",
      service: "privatetrade",
      message: "Smoke test failed, aborting deployment",
    });
    const w = worker(config, { maxAttempts: 3 });
    for (let i = 0; i < 3; i++) {
      await w.tick();
      await sleep(150);
    }
    const [row] = outbox();
    expect(row).toMatchObject({
      status: "dead",
      attempts: 3,
      lastError: `cannot reach 127.0.0.1:${CLOSED_PORT} (ECONNREFUSED)`,
    });
    expect(logs).toEqual([
      `notification ${row!.id} (failed) to privatetrade/slack given up after 3 attempt(s): cannot reach 127.0.0.1:${CLOSED_PORT} (ECONNREFUSED)`,
    ]);
    expect(JSON.stringify([outbox(), logs])).not.toContain("hook-secret-part");
  });

  it("marks a refused payload (4xx) dead at once", async () => {
    await receiver(PD_PORT, () => ({ status: 400, body: `{"message":"Invalid routing key ${ROUTING_KEY}"}` }));
    const config = configWith([pagerduty(PD_PORT)]);
    enqueueNotification(fx.db, config, { kind: "rollback_failed", service: "privatetrade", message: "blue is gone" });
    await worker(config).tick();
    expect(outbox()).toMatchObject([
      {
        status: "dead",
        attempts: 1,
        lastError: `HTTP 400 from 127.0.0.1:${PD_PORT}: {"message":"Invalid routing key ••••••"}`,
      },
    ]);
  });

  it("queues without waiting for a channel that never answers, and times the delivery out", async () => {
    const hook = await receiver(SLACK_PORT, () => "hang");
    const config = configWith([slack(SLACK_PORT)]);
    const w = worker(config, { timeoutMs: 300, intervalMs: 20 });
    const started = performance.now();
    const ids = enqueueNotification(fx.db, config, {
      kind: "deployment_started",
      service: "privatetrade",
      message: "rm started deploying privatetrade 2.0.0 to green",
    });
    const tookMs = performance.now() - started;
    expect(ids).toHaveLength(1);
    expect(hook.requests).toHaveLength(0);
    expect(outbox()).toMatchObject([{ status: "pending", attempts: 0 }]);
    console.log(`enqueueNotification returned in ${tookMs.toFixed(2)} ms`);
    for (let i = 0; i < 100 && (outbox()[0]?.attempts ?? 0) === 0; i++) await sleep(20);
    expect(hook.requests).toHaveLength(1);
    expect(outbox()).toMatchObject([
      { status: "pending", attempts: 1, lastError: `no answer from 127.0.0.1:${SLACK_PORT} within 0.3 s` },
    ]);
    await w.stop();
  });
});

describe("notifier", () => {
  it("audits every engine event and queues it; a broken database never throws into the engine", () => {
    const config = configWith([slack(SLACK_PORT), pagerduty(PD_PORT)]);
    const errors: string[] = [];
    const notify = notifier(fx.db, config, (m) => errors.push(m));
    notify({
      kind: "automatic_rollback",
      service: "privatetrade",
      deploymentId: "dep-3",
      message: `error rate 5% (hook http://127.0.0.1:${SLACK_PORT}${HOOK_PATH})`,
    });
    expect(outbox().map((r) => [r.channelType, r.kind])).toEqual([
      ["slack", "automatic_rollback"],
      ["pagerduty", "automatic_rollback"],
    ]);
    const audit = queryAudit(fx.db, { actor: "greenlight" }).rows;
    expect(audit.map((r) => [r.action, r.target, r.reason])).toEqual([
      ["engine.automatic_rollback", "privatetrade", "error rate 5% (hook ••••••)"],
    ]);
    expect(JSON.stringify([outbox(), audit])).not.toMatch(/hook-secret-part|R0UTING/);
    expect(errors).toEqual([]);

    fx.db.$client.exec("DROP TABLE notification_outbox");
    expect(() => notify({ kind: "failed", service: "privatetrade", message: "x" })).not.toThrow();
    expect(errors).toEqual([expect.stringMatching(/^queueing failed for privatetrade failed: no such table/)]);
  });

  it("prunes old sent and dead rows but keeps pending ones", () => {
    const config = configWith([slack(CLOSED_PORT)]);
    for (let i = 0; i < 3; i++)
      enqueueNotification(fx.db, config, { kind: "failed", service: "privatetrade", message: `m${i}` });
    fx.db.$client.exec(
      "UPDATE notification_outbox SET status = 'sent' WHERE id = 1; UPDATE notification_outbox SET status = 'dead' WHERE id = 2",
    );
    expect(pruneOutbox(fx.db, 1_000, Date.now() + 2_000)).toBe(2);
    expect(outbox().map((r) => [r.id, r.status])).toEqual([[3, "pending"]]);
    expect(pruneOutbox(fx.db, 60_000)).toBe(0);
  });

  it("ignores services without channels", () => {
    expect(
      enqueueNotification(fx.db, configWith([]), { kind: "failed", service: "privatetrade", message: "x" }),
    ).toEqual([]);
    expect(
      enqueueNotification(fx.db, configWith([slack(SLACK_PORT)]), { kind: "failed", service: "other", message: "x" }),
    ).toEqual([]);
  });
});
