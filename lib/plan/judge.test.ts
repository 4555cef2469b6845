import { describe, expect, it } from "vitest";
import { addSample } from "@/lib/metrics/histogram";
import { emptyRollup, type Rollup } from "@/lib/metrics/rollup";
import { MIB } from "@/lib/metrics/summarize";
import type { PlanItem } from "./items";
import { judgeItem } from "./judge";
import { monitoringPlanSchema } from "./schema";

const limits = monitoringPlanSchema.parse({}).limits;
const item = (checks: PlanItem["checks"]): PlanItem => ({
  key: "checkpoint:x",
  kind: "checkpoint",
  name: "T+25 error rate",
  dueAt: 0,
  windowFrom: 0,
  windowTo: 0,
  checks,
});

function second(ts: number, requests: number, errors: number, ms: number, cpu?: number, memMb?: number): Rollup {
  const r = emptyRollup("svc", "green", ts);
  r.requests = requests;
  r.errors5xx = errors;
  r.latencySumMs = requests * ms;
  addSample(r.hist, ms, requests);
  if (cpu !== undefined) {
    r.samples = 1;
    r.cpuPctSum = cpu;
    r.memBytesSum = memMb! * MIB;
    r.memBytesMax = memMb! * MIB;
  }
  return r;
}

describe("judging a plan item from recorded figures", () => {
  it("error rate over the whole window: 2 failures in 1,000 requests is 0.2 %, over the plan's 0.1 %", () => {
    const rollups = [second(1, 500, 2, 40), second(2, 500, 0, 40)];
    const j = judgeItem(item(["error_rate"]), limits, { rollups, errorLogLines: null, health: null });
    expect(j.status).toBe("failed");
    expect(j.checks).toEqual([{ check: "error_rate", status: "failed", value: 0.2, limit: 0.1, unit: "%" }]);
    expect(j.summary).toBe("T+25 error rate: failed. error rate 0.2 % (limit < 0.1 %): failed");
  });

  it("1 failure in 1,000 is 0.1 %: not under the limit, so it fails too; 1 in 2,000 passes", () => {
    const one = judgeItem(item(["error_rate"]), limits, {
      rollups: [second(1, 1000, 1, 40)],
      errorLogLines: null,
      health: null,
    });
    expect(one.status).toBe("failed");
    const half = judgeItem(item(["error_rate"]), limits, {
      rollups: [second(1, 2000, 1, 40)],
      errorLogLines: null,
      health: null,
    });
    expect(half.checks[0]).toMatchObject({ status: "passed", value: 0.05 });
  });

  it("CPU is the mean of the samples, memory the peak; a window without samples is inconclusive, never a pass", () => {
    const rollups = [second(1, 10, 0, 40, 10, 150), second(2, 10, 0, 40, 40, 210), second(3, 10, 0, 40, 16, 120)];
    const j = judgeItem(item(["cpu", "memory"]), limits, { rollups, errorLogLines: null, health: null });
    expect(j.checks).toEqual([
      { check: "cpu", status: "passed", value: 22, limit: 30, unit: "%" },
      { check: "memory", status: "failed", value: 210, limit: 200, unit: "MB" },
    ]);
    const empty = judgeItem(item(["cpu", "p95"]), limits, { rollups: [], errorLogLines: null, health: null });
    expect(empty.status).toBe("inconclusive");
    expect(empty.summary).toContain("no docker stats sample in the window");
    expect(empty.summary).toContain("0 request(s) in the window");
  });

  it("a failure outweighs an inconclusive check; ERROR lines and health are judged as given", () => {
    const j = judgeItem(item(["health", "error_logs", "cpu"]), limits, {
      rollups: [],
      errorLogLines: 2,
      health: { ok: false, detail: "through nginx: 502" },
    });
    expect(j.status).toBe("failed");
    expect(j.checks.map((c) => c.status)).toEqual(["failed", "failed", "inconclusive"]);
    expect(j.summary).toContain("health through the load balancer: failed (through nginx: 502)");
    expect(j.summary).toContain("ERROR log lines 2 lines (limit <= 0 lines): failed");
    const late = judgeItem(item(["health"]), limits, {
      rollups: [],
      errorLogLines: null,
      health: null,
      unavailable: { health: "judged 40 min after it fell due" },
    });
    expect(late.summary).toContain("inconclusive (judged 40 min after it fell due)");
  });
});
