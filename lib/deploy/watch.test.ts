import { buildPrivatetradeImages } from "@/examples/privatetrade/build-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployAndWait, engineFixture, lbHealth, type Fixture } from "@/tests/support/engine-fixture";
import type { Verdict } from "./watch-evaluator";
import { listEvents, listSteps } from "./store";

let fx: Fixture;

/** An evaluator that answers from a script, one verdict (or error) per evaluation, then passes. */
function scripted(script: Array<Verdict | Error>) {
  let i = 0;
  return async (): Promise<Verdict> => {
    const next = script[i++];
    if (next instanceof Error) throw next;
    return next ?? { verdict: "pass", reasons: [] };
  };
}
const breach: Verdict = { verdict: "breach", reasons: [{ metric: "response_time_p95", value: 2600, threshold: 2000 }] };
const pass: Verdict = { verdict: "pass", reasons: [] };

beforeAll(async () => {
  await buildPrivatetradeImages({ versions: ["2.0.1"] });
  fx = await engineFixture(45060, "gl-watch", (svc) => {
    svc.thresholds.evaluateEverySeconds = 0.5;
    svc.thresholds.consecutiveBreaches = 3;
  });
  expect((await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true })).status).toBe("succeeded");
});
afterAll(async () => {
  await fx?.cleanup();
});

describe("the watch window's judgement (scenarios 11 and 12)", () => {
  it("one bad evaluation, or two, never rolls back: only N consecutive breaches do", async () => {
    fx.service.watch.bakeSeconds = 4;
    fx.ctx.watchEvaluator = scripted([breach, pass, breach, breach, pass, pass]);
    const dep = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    expect(
      listEvents(fx.ctx.db, dep.id)
        .filter((e) => e.message.startsWith("Breach"))
        .map((e) => e.message.slice(0, 10)),
    ).toEqual(["Breach 1/3", "Breach 1/3", "Breach 2/3"]);
    expect((await lbHealth(fx)).version).toBe("2.0.0");
  });

  it("a metrics source that keeps failing stops the watch and rolls back: an unjudged release is never passed", async () => {
    fx.service.watch.bakeSeconds = 6;
    fx.ctx.watchEvaluator = scripted([
      pass,
      new Error("nginx access log unreadable"),
      new Error("nginx access log unreadable"),
      new Error("nginx access log unreadable"),
    ]);
    const dep = await deployAndWait(fx, "privatetrade:2.0.1", { autoPromote: true });
    expect(dep.status, dep.error ?? "").toBe("rolled_back");
    expect(dep.rollbackReason).toMatch(/Metrics unavailable for 3 evaluations in a row/);
    expect((await lbHealth(fx)).version).toBe("2.0.0");
  });

  it("nothing but inconclusive evaluations passes health only, and says so instead of claiming a clean window", async () => {
    fx.service.watch.bakeSeconds = 2;
    fx.ctx.watchEvaluator = async () => ({
      verdict: "inconclusive",
      reasons: [{ metric: "requests", value: 0, threshold: 10 }],
    });
    const dep = await deployAndWait(fx, "privatetrade:2.0.1", { autoPromote: true });
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    const watch = listSteps(fx.ctx.db, dep.id).find((s) => s.phase === "watch")!;
    expect(watch.status).toBe("warning");
    expect(watch.summary).toMatch(/metrics were inconclusive/);
  });
});
