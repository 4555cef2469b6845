// Test support only: the weighted-promotion scenarios, run against real nginx or real HAProxy under loopback load.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrivatetradeImages } from "@/examples/privatetrade/build-images";
import type { PromotionStep } from "@/lib/config/schema";
import { abortDeployment } from "@/lib/deploy/abort";
import { liveSlotsOf, metricsEvaluator } from "@/lib/deploy/metrics-evaluator";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { getDeployment, listSteps } from "@/lib/deploy/store";
import { startCollectors, type Collectors } from "@/lib/metrics/start-collectors";
import { startHaproxyFixture, type HaproxyFixture } from "@/lib/traffic/haproxy-test-fixture";
import { deployAndWait, engineFixture, type Fixture } from "./engine-fixture";
import { between, shareOf, startSplitLoad, type Answer } from "./split-load";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CONFIG_STEPS = [
  { percent: 10, pause: 3 },
  { percent: 25, pause: 3 },
  { percent: 100, pause: 0 },
];

/** Ports: basePort lb, +1 blue, +2 green; HAProxy on +10 with its log on +11. */
export function weightedSuite(input: { driver: "nginx" | "haproxy"; basePort: number; name: string }) {
  let fx: Fixture;
  let hx: HaproxyFixture | undefined;
  let collectors: Collectors;
  const lbUrl = () => hx?.traffic.lbUrl ?? fx.lbUrl;
  const port = (slot: "blue" | "green") => fx.service.slots[slot].port;

  /** Starts a deployment of `image` with the plan, without waiting for it. */
  async function begin(image: string, steps: PromotionStep[]) {
    fx.service.promotion.steps = steps;
    const result = await startDeployment(fx.ctx, { service: fx.service.name, image, autoPromote: true }, "tester");
    if (result.noop) throw new Error(result.message);
    return { id: result.deploymentId, pipeline: result.pipeline };
  }

  async function until(id: string, what: string, check: () => boolean, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) {
        const dep = getDeployment(fx.ctx.db, id);
        const steps = listSteps(fx.ctx.db, id).map((s) => `${s.phase}:${s.status}:${s.summary ?? ""}`);
        throw new Error(
          `timed out waiting for ${what}: ${dep.status} ${dep.phase} ${dep.splitPercent} ${dep.error ?? ""}\n${steps.join("\n")}`,
        );
      }
      await sleep(100);
    }
  }
  const atStep = (id: string, percent: number) => () => {
    const dep = getDeployment(fx.ctx.db, id);
    const running = listSteps(fx.ctx.db, id).filter((s) => s.phase === "split" && s.status === "running");
    return dep.phase === "split" && dep.splitPercent === percent && running.length === 1;
  };

  /** Each split step row's share as planned and as measured from the answers while it was judged. */
  function measured(id: string, answers: Answer[]) {
    return listSteps(fx.ctx.db, id)
      .filter((s) => s.phase === "split" && (s.detail as { percent?: number } | null)?.percent !== 100)
      .map((s) => {
        const window = between(answers, s.startedAt + 1500, s.endedAt ?? Date.now());
        return {
          planned: (s.detail as { percent: number }).percent,
          green: shareOf(window, port("green")),
          requests: window.length,
        };
      });
  }

  beforeAll(async () => {
    await buildPrivatetradeImages({ versions: ["2.0.1"] });
    if (input.driver === "haproxy")
      hx = await startHaproxyFixture({
        port: input.basePort + 10,
        bluePort: input.basePort + 1,
        greenPort: input.basePort + 2,
        logPort: input.basePort + 11,
      });
    fx = await engineFixture(input.basePort, input.name, (svc) => {
      if (hx) svc.traffic = { ...hx.traffic };
      svc.promotion = { ...svc.promotion, steps: CONFIG_STEPS };
      svc.watch = { bakeSeconds: 2 };
      svc.container.stopGraceSeconds = 2;
      for (const t of svc.smoke ?? []) t.budgetMs = 5000;
    });
    collectors = startCollectors({ db: fx.ctx.db, config: fx.config, getLiveSlots: liveSlotsOf(fx.config) });
    fx.ctx.watchEvaluator = metricsEvaluator;
    const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
    expect(first.status, first.error ?? "").toBe("succeeded");
  }, 180_000);
  afterAll(async () => {
    await collectors?.stop();
    await fx?.cleanup();
    await hx?.stop();
  });

  describe(`weighted promotion through ${input.driver} under load`, () => {
    it("green's measured share at each step is within 5 points of the plan, then 100 %", async () => {
      const load = startSplitLoad(lbUrl());
      let id = "";
      try {
        const run = await begin("privatetrade:2.0.0", [
          { percent: 10, pause: 8 },
          { percent: 25, pause: 8 },
          { percent: 50, pause: 8 },
          { percent: 100, pause: 0 },
        ]);
        id = run.id;
        await run.pipeline;
        await sleep(1000);
      } finally {
        await load.stop();
      }
      const dep = getDeployment(fx.ctx.db, id);
      expect(dep.status, dep.error ?? "").toBe("succeeded");
      expect(dep.splitPercent).toBe(100);
      const shares = measured(id, load.answers);
      expect(shares.map((s) => s.planned)).toEqual([10, 25, 50]);
      for (const s of shares) {
        expect(s.requests, JSON.stringify(shares)).toBeGreaterThan(150);
        expect(Math.abs(s.green - s.planned), JSON.stringify(shares)).toBeLessThanOrEqual(5);
      }
      const after = between(load.answers, Date.now() - 800, Date.now());
      expect(shareOf(after, port("green"))).toBe(100);
      expect(load.answers.filter((a) => a.status >= 500)).toEqual([]);
      // Back to 1.9.0 on blue, all at once, for the next scenario.
      fx.service.promotion.steps = undefined;
      const back = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
      expect(back.status, back.error ?? "").toBe("succeeded");
      expect(back.toSlot).toBe("blue");
    }, 240_000);

    it("a release failing half its requests is caught at the 10 % step: only green's share saw errors, then all back on blue", async () => {
      fx.service.container.env.FAULT_ERROR_RATE = "0.5";
      const smoke = fx.service.smoke;
      fx.service.smoke = [];
      const load = startSplitLoad(lbUrl());
      let id = "";
      try {
        const run = await begin("privatetrade:2.0.1", [
          { percent: 10, pause: 90 },
          { percent: 100, pause: 0 },
        ]);
        id = run.id;
        await run.pipeline;
        await sleep(1500);
      } finally {
        await load.stop();
        delete fx.service.container.env.FAULT_ERROR_RATE;
        fx.service.smoke = smoke;
      }
      const dep = getDeployment(fx.ctx.db, id);
      expect(dep.status, dep.error ?? "").toBe("rolled_back");
      expect(dep.splitPercent).toBe(0);
      const steps = listSteps(fx.ctx.db, id);
      const split = steps.filter((s) => s.phase === "split");
      expect(split.map((s) => s.status)).toEqual(["failed"]);
      expect(split[0]!.detail).toMatchObject({ percent: 10, verdict: "breach" });
      expect(dep.rollbackReason).toMatch(/error_rate/);
      // From the switch to the end of the rollback: the errors came from green alone, about its share of requests.
      const switched = steps.find((s) => s.phase === "switch")!.startedAt;
      const back = steps.find((s) => s.phase === "rollback")!.endedAt!;
      const during = between(load.answers, switched, back);
      const errors = during.filter((a) => a.status >= 500);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((a) => a.upstream?.trim().endsWith(`:${port("green")}`))).toBe(true);
      const green = shareOf(between(load.answers, split[0]!.startedAt + 1000, split[0]!.endedAt!), port("green"));
      expect(Math.abs(green - 10)).toBeLessThanOrEqual(5);
      expect((errors.length * 100) / during.length).toBeLessThanOrEqual(10);
      const after = between(load.answers, back + 300, Date.now());
      expect(after.length).toBeGreaterThan(20);
      expect(shareOf(after, port("blue"))).toBe(100);
    }, 240_000);

    it("an abort at the 50 % step returns every new request to blue", async () => {
      const load = startSplitLoad(lbUrl());
      let id = "";
      let aborted = 0;
      try {
        const run = await begin("privatetrade:2.0.0", [
          { percent: 10, pause: 2 },
          { percent: 50, pause: "manual" },
          { percent: 100, pause: 0 },
        ]);
        id = run.id;
        await until(id, "the 50 % step", atStep(id, 50));
        await sleep(5000);
        await abortDeployment(fx.ctx, id, "tester");
        aborted = Date.now();
        await run.pipeline;
        await sleep(3000);
      } finally {
        await load.stop();
      }
      const dep = getDeployment(fx.ctx.db, id);
      expect(dep.status, dep.error ?? "").toBe("rolled_back");
      expect(dep.rollbackReason).toBe("Aborted by tester at the 50 % step");
      const fifty = listSteps(fx.ctx.db, id).filter((s) => s.phase === "split")[1]!;
      const before = between(load.answers, fifty.startedAt + 1500, fifty.startedAt + 5000);
      expect(Math.abs(shareOf(before, port("green")) - 50)).toBeLessThanOrEqual(5);
      const after = between(load.answers, aborted, Date.now());
      expect(after.length).toBeGreaterThan(50);
      expect(shareOf(after, port("blue"))).toBe(100);
      expect(load.answers.filter((a) => a.status >= 500)).toEqual([]);
    }, 240_000);
  });
}
