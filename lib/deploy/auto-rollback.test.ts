import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrivatetradeImages } from "@/examples/privatetrade/build-images";
import { deployAndWait, engineFixture, lbHealth, type Fixture } from "@/tests/support/engine-fixture";
import { startCollectors, type Collectors } from "@/lib/metrics/start-collectors";
import { runLoad } from "@/scripts/stack/load";
import { liveSlotsOf, metricsEvaluator } from "./metrics-evaluator";
import { listSteps } from "./store";
import type { SmokeTest } from "@/lib/config/schema";

let fx: Fixture;
let collectors: Collectors;
let smoke: SmokeTest[];

beforeAll(async () => {
  await buildPrivatetradeImages({ versions: ["2.0.1"] });
  fx = await engineFixture(45030, "gl-auto", (svc) => {
    svc.container.memoryMb = 2048;
  });
  collectors = startCollectors({
    db: fx.ctx.db,
    config: fx.config,
    getLiveSlots: liveSlotsOf(fx.config),
    intervals: { dockerMs: 1000 },
  });
  fx.ctx.watchEvaluator = metricsEvaluator;
  smoke = fx.service.smoke;
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status).toBe("succeeded");
}, 180_000);
afterAll(async () => {
  await collectors?.stop();
  await fx?.cleanup();
});

/** Deploys with a fault in the new colour's environment while bounded loopback load runs through nginx. */
async function deployUnderLoad(image: string, fault: Record<string, string>, load: { clients: number; rps: number }) {
  Object.assign(fx.service.container.env, fault);
  fx.service.smoke = [];
  fx.service.watch.bakeSeconds = 45;
  const stop = new AbortController();
  const traffic = runLoad(
    {
      url: fx.lbUrl,
      keepAliveClients: load.clients,
      newConnectionClients: 0,
      requestsPerSecond: load.rps,
      maxRequests: 5000,
      maxMs: 90_000,
      postEvery: 5,
    },
    stop.signal,
  );
  try {
    return await deployAndWait(fx, image, { autoPromote: true });
  } finally {
    stop.abort();
    await traffic;
    for (const key of Object.keys(fault)) delete fx.service.container.env[key];
    fx.service.smoke = smoke;
  }
}

describe("automatic rollback on the seed's triggers, measured from real nginx and Docker", () => {
  it("no traffic in the watch window is inconclusive: health holds, nothing rolls back, the step says so", async () => {
    fx.service.watch.bakeSeconds = 9;
    const dep = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    const watch = listSteps(fx.ctx.db, dep.id).find((s) => s.phase === "watch")!;
    expect(watch.status).toBe("warning");
    expect(watch.summary).toContain("inconclusive");
  });

  it.each([
    ["error_rate", { FAULT_ERROR_RATE: "0.5" }, { clients: 2, rps: 10 }],
    ["response_time_p95", { FAULT_LATENCY_MS: "2500" }, { clients: 40, rps: 1 }],
    ["memory_usage", { FAULT_MEMORY_GROWTH_MB_PER_S: "60" }, { clients: 2, rps: 10 }],
    ["database_connection_errors", { FAULT_DB_ERRORS_PER_MIN: "120" }, { clients: 2, rps: 10 }],
  ])("a release breaching %s rolls back by itself and records the metric", async (metric, fault, load) => {
    const dep = await deployUnderLoad("privatetrade:2.0.1", fault, load);
    expect(dep.status, dep.error ?? "").toBe("rolled_back");
    expect(dep.rollbackReason).toContain(metric);
    expect(await lbHealth(fx)).toMatchObject({ status: 200, version: "2.0.0" });
    const watch = listSteps(fx.ctx.db, dep.id).find((s) => s.phase === "watch")!;
    expect(watch.status).toBe("failed");
    expect((watch.detail as { trigger?: { metric: string } }).trigger?.metric).toBe(metric);
  });

  it("15 DB errors a minute, just over the threshold, roll back as the third error is stored, between evaluations", async () => {
    // Evaluations 20 s apart could never count 3 breaches in time: only the errors' own evidence can roll back.
    const every = fx.service.thresholds.evaluateEverySeconds;
    fx.service.thresholds.evaluateEverySeconds = 20;
    try {
      const dep = await deployUnderLoad(
        "privatetrade:2.0.1",
        { FAULT_DB_ERRORS_PER_MIN: "15" },
        { clients: 2, rps: 10 },
      );
      expect(dep.status, dep.error ?? "").toBe("rolled_back");
      expect(dep.rollbackReason).toMatch(/database_connection_errors 15 exceeded 10 for 3 consecutive windows of 4 s/);
      expect(await lbHealth(fx)).toMatchObject({ status: 200, version: "2.0.0" });
      const watch = listSteps(fx.ctx.db, dep.id).find((s) => s.phase === "watch")!;
      expect((watch.detail as { evaluations?: number }).evaluations).toBeLessThanOrEqual(1);
    } finally {
      fx.service.thresholds.evaluateEverySeconds = every;
    }
  });
});
