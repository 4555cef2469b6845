import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findContainers } from "@/lib/docker/containers";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import { expectServes, stepOf } from "@/tests/support/scenario-helpers";
import { rollbackDeployment } from "./rollback";

let fx: Fixture;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  fx = await engineFixture(46060, "gl-drain", (svc) => {
    // The slow release would fail its latency budgets; this suite is about the drain, not the smoke tests.
    svc.smoke = [];
    svc.container.stopGraceSeconds = 5;
  });
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
});
afterAll(async () => {
  await fx?.cleanup();
});

describe("a long request in flight during a rollback (scenario 17)", () => {
  it("completes, and green is stopped only after it", async () => {
    // Much longer than the app's own 0.9 s shutdown drain: only nginx's drain can let this request finish.
    fx.service.container.env.FAULT_LATENCY_MS = "3000";
    let dep;
    try {
      dep = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
    } finally {
      delete fx.service.container.env.FAULT_LATENCY_MS;
    }
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    await expectServes(fx, "green", "2.0.0");

    const order: string[] = [];
    // Watch green's container from the outside: the moment it is no longer running is when the rollback stopped it.
    let watching = true;
    const watcher = (async () => {
      for (let i = 0; i < 1200 && watching; i++) {
        const green = await findContainers({ service: fx.service.name, slot: "green", all: true });
        if (!green.some((c) => c.running)) {
          order.push("green stopped");
          return;
        }
        await sleep(25);
      }
    })();

    const slow = fetch(`${fx.lbUrl}/api/config`, { signal: AbortSignal.timeout(20_000) }).then(async (res) => {
      const body = (await res.json()) as { config?: unknown[] };
      order.push("request done");
      return { status: res.status, upstream: res.headers.get("x-greenlight-upstream"), rows: body.config?.length };
    });
    // Let nginx hand the request to green before the rollback reloads nginx.
    await sleep(300);
    const rolledBack = await rollbackDeployment(fx.ctx, { deploymentId: dep.id, reason: "slow answers", by: "rm" });
    const answer = await slow;
    watching = false;
    await watcher;

    expect(answer).toEqual({ status: 200, upstream: `127.0.0.1:${fx.service.slots.green.port}`, rows: 4 });
    expect(order).toEqual(["request done", "green stopped"]);
    expect(rolledBack.status).toBe("rolled_back");
    expect(stepOf(fx, dep.id, "rollback")?.summary).toMatch(
      /traffic back on blue \(1\.9\.0\).*removed greenlight-gl-drain-green/,
    );
    await expectServes(fx, "blue", "1.9.0");
  }, 60_000);
});
