import { describe, expect, it } from "vitest";
import { successReport } from "./success-report";
import { dailyReport } from "./daily-report";
import { MetricsRecorder } from "./recorder";

const MiB = 1024 * 1024;

describe("successReport", () => {
  // Deployment 1000..1600; green started at 1010, healthy at 1070; switch 1400..1401.
  const rec = new MetricsRecorder();
  for (let t = 1000; t < 1400; t++) rec.request("shop", "blue", t, 200, 40);
  rec.request("shop", "blue", 1400.2, 502, 3); // failed during the switch
  rec.request("shop", "blue", 1401.1, 502, 3);
  rec.request("shop", "green", 1401.5, 200, 30);
  const greenLatencies: number[] = [];
  for (let t = 1402; t < 1600; t++) {
    for (let k = 0; k < 5; k++) {
      const ms = 20 + k * 10 + (t % 7);
      greenLatencies.push(ms);
      rec.request("shop", "green", t, t === 1500 && k === 0 ? 500 : 200, ms);
    }
  }
  rec.request("shop", "blue", 1450, 503, 1); // a straggler on the old colour after the switch
  rec.resources("shop", "green", 1020, 3, 150 * MiB);
  rec.resources("shop", "green", 1300, 8, 178 * MiB);
  rec.resources("shop", "blue", 1300, 8, 400 * MiB);
  rec.request("shop", "green", 1700, 500, 1); // after the deployment: not counted
  const rollups = rec.drain();

  it("computes every figure of the sign-off report", () => {
    const r = successReport({
      startedAt: 1000,
      finishedAt: 1600,
      targetStartedAt: 1010,
      healthyAt: 1070,
      switchStartedAt: 1400.1,
      switchEndedAt: 1401.9,
      targetSlot: "green",
      smoke: [
        { name: "health", passed: true },
        { name: "stocks", passed: true },
      ],
      rollups,
    });
    const sum = greenLatencies.reduce((a, b) => a + b, 0);
    const { p95Ms, ...rest } = r;
    expect(rest).toEqual({
      deploymentSeconds: 600,
      downtime: { failedRequests: 2, seconds: 2 },
      timeToHealthySeconds: 60,
      smoke: { passed: 2, total: 2, allPassed: true },
      requestsAfterSwitch: 990,
      errorRatePercent: (1 / 990) * 100,
      avgMs: sum / 990,
      peakMemoryMb: 178,
      userImpact: { errors5xxAfterSwitch: 2 },
    });
    // Worked out by hand: after the switch green answers 990 requests (t = 1402..1599, five a second) taking
    // 20 + 10k + (t mod 7) ms. The slowest are k = 4: 66 ms 28 times (t mod 7 = 6) and 65 ms 28 times (= 5), so
    // 934 requests take 64 ms or less and 962 take 65 ms or less; the 941st (ceil(0.95 * 990)) is 65 ms. The
    // histogram estimates it within 2%.
    expect(Math.abs(p95Ms! - 65) / 65).toBeLessThanOrEqual(0.02);
  });

  it("reports no downtime or traffic figures when the deployment never switched", () => {
    const r = successReport({
      startedAt: 1000,
      finishedAt: 1100,
      switchStartedAt: null,
      switchEndedAt: null,
      targetSlot: "green",
      smoke: [],
      rollups,
    });
    expect(r.downtime).toEqual({ failedRequests: 0, seconds: 0 });
    expect(r.errorRatePercent).toBeNull();
    expect(r.p95Ms).toBeNull();
    expect(r.smoke.allPassed).toBe(false);
    expect(r.timeToHealthySeconds).toBeNull();
    expect(r.peakMemoryMb).toBe(150);
  });
});

describe("dailyReport", () => {
  it("reproduces the seed's daily figures from per-minute traffic", () => {
    const rec = new MetricsRecorder();
    const day = 86_400 * 20_000;
    // 1440 minutes: 125,400 requests, 10 failed; one minute where most requests failed.
    let sent = 0;
    for (let m = 0; m < 1440; m++) {
      const n = m < 120 ? 88 : 87;
      for (let k = 0; k < n; k++) {
        const failed = (m === 600 && k < 6) || (m === 900 && k < 4);
        rec.request("shop", k % 2 ? "blue" : "green", day + m * 60 + (k % 60), failed ? 500 : 200, 44);
        sent++;
      }
    }
    expect(sent).toBe(125_400);
    const r = dailyReport({ rollups: rec.drain(), from: day, to: day + 86_400 });
    expect(r).toMatchObject({
      requests: 125_400,
      successful: 125_390,
      failed: 10,
      avgMs: 44,
      observedMinutes: 1440,
      downMinutes: 0,
      uptimePercent: 100,
    });
    expect(r.successPercent!.toFixed(3)).toBe("99.992");
    expect(Math.abs(r.p95Ms! - 44) / 44).toBeLessThanOrEqual(0.02);
  });

  it("counts a minute with a failed majority as down and ignores silent minutes", () => {
    const rec = new MetricsRecorder();
    for (let m = 0; m < 4; m++)
      for (let k = 0; k < 10; k++) rec.request("shop", "blue", m * 60 + k, m === 2 && k < 6 ? 502 : 200, 10);
    const r = dailyReport({ rollups: rec.drain(), from: 0, to: 86_400 });
    expect(r).toMatchObject({ observedMinutes: 4, downMinutes: 1, uptimePercent: 75, failed: 6 });
    expect(dailyReport({ rollups: [], from: 0, to: 60 })).toMatchObject({
      requests: 0,
      successPercent: null,
      p95Ms: null,
      uptimePercent: null,
    });
  });
});
