import { describe, expect, it } from "vitest";
import { describeReason, evaluateTriggers, type WindowStats } from "./evaluate-triggers";
import { TriggerWatcher } from "./trigger-watcher";
import { windowStatsOf } from "./window-stats";
import { MetricsRecorder } from "./recorder";

const thresholds = {
  errorRatePercent: 1,
  p95Ms: 2000,
  memoryMb: 300,
  dbErrorsPerMinute: 10,
  minRequests: 20,
  consecutiveBreaches: 3,
};
const healthy: WindowStats = {
  windowSeconds: 30,
  requests: 600,
  errors5xx: 1,
  p95Ms: 90,
  memMb: 178,
  dbErrorsPerMin: 0,
};

describe("evaluateTriggers", () => {
  it("passes a healthy window", () => {
    expect(evaluateTriggers({ stats: healthy, thresholds })).toEqual({ verdict: "pass", reasons: [], requests: 600 });
  });

  it("is inconclusive without traffic, never a pass", () => {
    const e = evaluateTriggers({ stats: { ...healthy, requests: 5, errors5xx: 0, p95Ms: 10 }, thresholds });
    expect(e.verdict).toBe("inconclusive");
    expect(e.reasons).toEqual([
      { metric: "requests", value: 5, threshold: 20, unit: "requests", detail: "no traffic" },
    ]);
    expect(
      evaluateTriggers({ stats: { ...healthy, requests: 0, errors5xx: 0, p95Ms: null }, thresholds }).verdict,
    ).toBe("inconclusive");
  });

  it("is inconclusive when a figure is missing or NaN", () => {
    for (const stats of [
      { ...healthy, memMb: null },
      { ...healthy, memMb: Number.NaN },
      { ...healthy, p95Ms: Number.NaN },
      { ...healthy, dbErrorsPerMin: null },
      { ...healthy, requests: Number.NaN },
    ]) {
      expect(evaluateTriggers({ stats, thresholds }).verdict).toBe("inconclusive");
    }
  });

  it("names every breached metric with its value and threshold", () => {
    const e = evaluateTriggers({
      stats: { ...healthy, errors5xx: 12, p95Ms: 2500, memMb: 310, dbErrorsPerMin: 11 },
      thresholds,
    });
    expect(e.verdict).toBe("breach");
    expect(e.reasons).toEqual([
      { metric: "error_rate", value: 2, threshold: 1, unit: "%" },
      { metric: "response_time_p95", value: 2500, threshold: 2000, unit: "ms" },
      { metric: "memory_usage", value: 310, threshold: 300, unit: "MiB" },
      { metric: "database_connection_errors", value: 11, threshold: 10, unit: "/min" },
    ]);
    expect(describeReason(e.reasons[0]!)).toBe("error_rate 2% > 1%");
  });

  it("treats thresholds as strict and still breaches on memory without traffic", () => {
    expect(
      evaluateTriggers({ stats: { ...healthy, errors5xx: 6, p95Ms: 2000, memMb: 300, dbErrorsPerMin: 10 }, thresholds })
        .verdict,
    ).toBe("pass");
    const e = evaluateTriggers({
      stats: { ...healthy, requests: 0, errors5xx: 0, p95Ms: null, memMb: 400 },
      thresholds,
    });
    expect(e.verdict).toBe("breach");
    expect(e.reasons.map((r) => r.metric)).toEqual(["memory_usage"]);
  });

  it("reads p95 from merged per-second histograms and the latest memory sample", () => {
    const rec = new MetricsRecorder();
    for (let s = 0; s < 30; s++)
      for (let i = 0; i < 10; i++) rec.request("svc", "green", 100 + s, 200, s >= 28 ? 3000 : 50);
    rec.resources("svc", "green", 110, 5, 400 * 1024 * 1024);
    rec.resources("svc", "green", 128, 5, 200 * 1024 * 1024);
    const stats = windowStatsOf(rec.drain(), 30);
    expect(stats).toMatchObject({ requests: 300, errors5xx: 0, memMb: 200, dbErrorsPerMin: 0 });
    expect(stats.p95Ms).toBeGreaterThan(2900);
  });
});

describe("TriggerWatcher", () => {
  const bad: WindowStats = { ...healthy, errors5xx: 60 };
  const quiet: WindowStats = { ...healthy, requests: 0, errors5xx: 0, p95Ms: null };

  function watcher(samples: Array<WindowStats | Error>) {
    const breaches: unknown[] = [];
    const errors: string[] = [];
    let i = 0;
    const w = new TriggerWatcher({
      thresholds,
      errorLimit: 3,
      sample: () => {
        const s = samples[Math.min(i++, samples.length - 1)]!;
        if (s instanceof Error) throw s;
        return s;
      },
      onBreach: (reason) => void breaches.push(reason),
      onError: (m) => void errors.push(m),
    });
    return { w, breaches, errors };
  }

  it("never rolls back on a single spike", async () => {
    const { w, breaches } = watcher([healthy, bad, healthy, healthy, bad, healthy]);
    for (let i = 0; i < 6; i++) await w.tick();
    expect(breaches).toEqual([]);
    expect(w.outcome()).toBe("pass");
  });

  it("acts once after N consecutive breaches, naming metric, value and threshold", async () => {
    const { w, breaches } = watcher([healthy, bad, bad, bad, bad, bad]);
    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await w.tick()).status);
    expect(statuses).toEqual(["pass", "breaching", "breaching", "breached", "breached", "breached"]);
    expect(breaches).toEqual([{ metric: "error_rate", value: 10, threshold: 1, unit: "%" }]);
    expect(w.outcome()).toBe("breach");
  });

  it("lets no-traffic windows pause the streak, never pass it", async () => {
    const { w, breaches } = watcher([bad, quiet, bad, quiet, quiet, bad]);
    for (let i = 0; i < 6; i++) await w.tick();
    expect(breaches).toHaveLength(1);

    const idle = watcher([quiet]);
    for (let i = 0; i < 5; i++) await idle.w.tick();
    expect(idle.w.state.status).toBe("inconclusive");
    expect(idle.w.outcome()).toBe("inconclusive");
    expect(idle.w.state.passes).toBe(0);
  });

  it("enters the error state after repeated source errors and reports once", async () => {
    const gone = new Error("access log unreadable");
    const { w, errors, breaches } = watcher([healthy, gone, gone, gone, gone]);
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await w.tick()).status);
    expect(statuses).toEqual(["pass", "pass", "pass", "error", "error"]);
    expect(errors).toEqual(["access log unreadable"]);
    expect(breaches).toEqual([]);
    expect(w.outcome()).toBe("error");
  });

  it("does not count a source error as a pass between breaches", async () => {
    const { w, breaches } = watcher([bad, bad, new Error("x"), bad]);
    for (let i = 0; i < 4; i++) await w.tick();
    expect(breaches).toHaveLength(1);
  });
});
