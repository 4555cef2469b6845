import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployAndWait, engineFixture, lbHealth, type Fixture } from "@/tests/support/engine-fixture";
import { liveSlotsOf, metricsEvaluator } from "@/lib/deploy/metrics-evaluator";
import { getDeployment } from "@/lib/deploy/store";
import { startCollectors, type Collectors } from "@/lib/metrics/start-collectors";
import { addSample } from "@/lib/metrics/histogram";
import { emptyRollup } from "@/lib/metrics/rollup";
import { writeRollups } from "@/lib/metrics/rollup-store";
import { listOutbox } from "@/lib/notify/outbox-rows";
import { notifier } from "@/lib/notify/notifier";
import { startReceiver, type Receiver } from "@/lib/notify/test-receiver";
import { startOutboxWorker, type OutboxWorker } from "@/lib/notify/worker";
import { runLoad } from "@/scripts/stack/load";
import { checkpointsOf, runDueCheckpoints, SETTLE_MS } from "./checkpoint-job";
import { monitoringPlanSchema } from "./schema";

/**
 * The monitoring plan judged on real traffic through nginx, with the plan's offsets shortened to seconds: a clean
 * release passes its checkpoints; one failing 0.5 % of requests (over the plan's 0.1 %, under the rollback
 * trigger's 1 %) fails its error-rate checkpoint, which pages and reaches Slack, and is not rolled back by itself.
 */
const BASE = 55000;
const SLACK_PORT = 55090;
const PD_PORT = 55091;
const HOOK = "/services/T0PLAN/B0PLAN/plan-hook-secret";

let fx: Fixture;
let collectors: Collectors;
let slack: Receiver;
let pagerduty: Receiver;
let worker: OutboxWorker;

beforeAll(async () => {
  slack = await startReceiver(SLACK_PORT);
  pagerduty = await startReceiver(PD_PORT);
  fx = await engineFixture(BASE, "gl-plan", (svc) => {
    svc.notifications = [
      { type: "slack", name: "slack", webhookUrl: `http://127.0.0.1:${SLACK_PORT}${HOOK}` },
      {
        type: "pagerduty",
        name: "pagerduty",
        routingKey: "R0UTING-KEY-plan-0123456789",
        eventsUrl: `http://127.0.0.1:${PD_PORT}/v2/enqueue`,
      },
    ];
    svc.monitoring = monitoringPlanSchema.parse({
      checkpoints: [
        { name: "T+15 s performance", atMinutes: 0.25, checks: ["health", "p95", "error_logs"] },
        { name: "T+30 s error rate", atMinutes: 0.5, checks: ["error_rate"] },
      ],
    });
  });
  collectors = startCollectors({
    db: fx.ctx.db,
    config: fx.config,
    getLiveSlots: liveSlotsOf(fx.config),
    intervals: { dockerMs: 1000 },
  });
  fx.ctx.watchEvaluator = metricsEvaluator;
  fx.ctx.notify = notifier(fx.ctx.db, fx.config, () => undefined);
  worker = startOutboxWorker({ db: fx.ctx.db, config: fx.config, intervalMs: 100, log: () => undefined });
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await collectors?.stop();
  await fx?.cleanup();
  await slack?.close();
  await pagerduty?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const slackTexts = () => slack.requests.filter((r) => r.path === HOOK).map((r) => (r.body as { text: string }).text);
const pages = () =>
  pagerduty.requests
    .filter((r) => r.path === "/v2/enqueue")
    .map((r) => r.body as { event_action: string; payload?: { summary: string } });

/** Deploys under steady load through nginx and keeps the load until the plan's last checkpoint has fallen due. */
async function deployAndRunThePlan(image: string, fault: Record<string, string>) {
  Object.assign(fx.service.container.env, fault);
  fx.service.watch.bakeSeconds = 8;
  const stop = new AbortController();
  const traffic = runLoad(
    {
      url: fx.lbUrl,
      keepAliveClients: 10,
      newConnectionClients: 0,
      requestsPerSecond: 10,
      maxRequests: 20_000,
      maxMs: 120_000,
    },
    stop.signal,
  );
  try {
    const dep = await deployAndWait(fx, image, { autoPromote: true });
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    const lastDue = dep.switchedAt! + 30_000;
    while (Date.now() < lastDue + SETTLE_MS + 500) await sleep(250);
    return { dep, written: await runDueCheckpoints(fx.ctx) };
  } finally {
    stop.abort();
    await traffic;
    for (const key of Object.keys(fault)) delete fx.service.container.env[key];
  }
}

async function delivered() {
  for (let i = 0; i < 100 && listOutbox(fx.ctx.db, { status: "pending" }).length > 0; i++) await sleep(100);
  await worker.tick();
}

describe("the monitoring plan on real nginx traffic", () => {
  it("a clean release passes both checkpoints, each judged from its own window of the live colour's requests", async () => {
    const { dep, written } = await deployAndRunThePlan("privatetrade:1.9.0", {});
    expect(written.map((c) => [c.name, c.status])).toEqual([
      ["T+15 s performance", "passed"],
      ["T+30 s error rate", "passed"],
    ]);
    const [first, second] = written;
    expect(first!.windowFrom).toBe(dep.switchedAt);
    expect(second!.windowFrom).toBe(first!.windowTo);
    const rate = (second!.checks as Array<{ check: string; value: number }>).find((c) => c.check === "error_rate")!;
    expect(rate.value).toBe(0);
    await delivered();
    expect(slackTexts()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/T\+30 s error rate: passed\. error rate 0 % \(limit &lt; 0\.1 %\)/),
      ]),
    );
    expect(pages()).toEqual([]);
  }, 120_000);

  it("0.5 % failed requests fail the error-rate checkpoint: it pages and posts, and the release keeps serving", async () => {
    const { dep, written } = await deployAndRunThePlan("privatetrade:2.0.0", { FAULT_ERROR_RATE: "0.005" });
    const rate = written.find((c) => c.name === "T+30 s error rate")!;
    expect(rate.status).toBe("failed");
    const figure = (rate.checks as Array<{ check: string; value: number }>).find((c) => c.check === "error_rate")!;
    expect(figure.value).toBeGreaterThan(0.1);
    expect(figure.value).toBeLessThan(1);
    await delivered();
    // The failing requests also leave ERROR lines in the release's log, which the T+15 s checkpoint counts.
    expect(pages().every((p) => p.event_action === "trigger")).toBe(true);
    expect(pages().some((p) => p.payload?.summary.includes("T+30 s error rate: failed"))).toBe(true);
    expect(slackTexts().some((t) => t.includes("T+30 s error rate: failed") && t.includes("approved rollback"))).toBe(
      true,
    );
    // Paged, not rolled back: the release still serves and its record is unchanged.
    expect(getDeployment(fx.ctx.db, dep.id).status).toBe("succeeded");
    expect((await lbHealth(fx)).version).toBe("2.0.0");
    expect(JSON.stringify(listOutbox(fx.ctx.db))).not.toContain("plan-hook-secret");
  }, 120_000);

  it("judging again, as a restarted Greenlight would, writes and sends nothing twice", async () => {
    const outbox = listOutbox(fx.ctx.db).length;
    expect(await runDueCheckpoints(fx.ctx)).toEqual([]);
    expect(listOutbox(fx.ctx.db).length).toBe(outbox);
  });

  it("the daily report at 09:00 UTC reproduces the seed's figures from what was recorded, on a moved clock", async () => {
    // The serving release is taken to have switched at noon UTC three days ago, so its first daily report fell due
    // at 09:00 the next day, over the 21 hours since the switch: all of it before the real traffic above.
    const id = servingId();
    const today = new Date();
    const switchedAt = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 3, 12);
    fx.ctx.db.$client.prepare("UPDATE deployments SET switched_at = ? WHERE id = ?").run(switchedAt, id);
    const due = switchedAt + 21 * 3_600_000;
    // 125,400 requests in the 1,254 minutes before that 09:00, 10 of them failed, 44 ms each on average.
    const first = due / 1000 - 1254 * 60;
    const slot = getDeployment(fx.ctx.db, id).toSlot;
    const rows = Array.from({ length: 1254 }, (_, i) => {
      const r = emptyRollup(fx.service.name, slot, first + i * 60);
      r.requests = 100;
      r.errors5xx = i < 10 ? 1 : 0;
      r.latencySumMs = 4400;
      addSample(r.hist, 44, 100);
      return r;
    });
    // Three days back the per-second rows have been rolled up into minutes: that is where the report reads them.
    writeRollups(fx.ctx.db, rows, "metric_minutes");
    const written = await runDueCheckpoints(fx.ctx, due + SETTLE_MS + 1000);
    const daily = written.filter((c) => c.kind === "daily");
    expect(daily.map((c) => c.name)).toEqual([`Daily report ${new Date(due).toISOString().slice(0, 10)} 09:00 UTC`]);
    expect(daily[0]!.summary).toMatch(
      /Total requests 125,400, successful 125,390 \(99\.992 %\), failed 10, average 44 ms, p95 4\d ms, uptime 100\.00 %\./,
    );
    // The hourly reports of that past window had no docker stats: inconclusive, and saying why.
    const hourly = written.filter((c) => c.kind === "hourly");
    expect(hourly.length).toBe(3);
    expect(hourly.every((c) => c.status === "inconclusive" && c.summary.includes("no docker stats sample"))).toBe(true);
    await delivered();
    expect(slackTexts().some((t) => t.includes("Total requests 125,400"))).toBe(true);
  });
});

function servingId(): string {
  return fx.ctx.db.$client
    .prepare("SELECT id FROM deployments WHERE service = ? AND status = 'succeeded' ORDER BY created_at DESC LIMIT 1")
    .pluck()
    .get(fx.service.name) as string;
}
