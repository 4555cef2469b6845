import { describe, expect, it } from "vitest";
import type { SuccessReport } from "@/lib/metrics/success-report";
import { successReportRows } from "./metrics-report-rows";
import { csvField, reportRowsCsv, reportRowsMarkdown, toCsv } from "./metrics-report-format";
import { dailyReportCsv, dayRange } from "./metrics-daily";

const good: SuccessReport = {
  deploymentSeconds: 600,
  downtime: { failedRequests: 0, seconds: 0 },
  timeToHealthySeconds: 60,
  smoke: { passed: 4, total: 4, allPassed: true },
  requestsAfterSwitch: 1000,
  errorRatePercent: 0.05,
  avgMs: 42,
  p95Ms: 89,
  peakMemoryMb: 178,
  userImpact: { errors5xxAfterSwitch: 0 },
};

describe("successReportRows", () => {
  it("meets every criterion of the seed's plan with the plan's own figures", () => {
    const rows = successReportRows(good, { switched: true });
    expect(rows.map((r) => [r.item, r.measured, r.status])).toEqual([
      ["Test pass rate", "no test report attached", "no_data"],
      ["Deployment time", "10 min 0 s", "met"],
      ["Downtime", "0 failed requests in 0 s", "met"],
      ["Health check", "1 min 0 s", "met"],
      ["Smoke tests", "4/4 passed", "met"],
      ["Error rate", "0.05% of 1000 requests", "met"],
      ["Response time (average)", "42 ms", "met"],
      ["Response time (P95)", "89 ms", "met"],
      ["Memory (peak)", "178 MB", "met"],
      ["User impact", "0 × 5xx", "met"],
    ]);
  });

  it("fails what was breached and never calls a missing figure met", () => {
    const bad: SuccessReport = {
      ...good,
      deploymentSeconds: 900,
      downtime: { failedRequests: 3, seconds: 1 },
      timeToHealthySeconds: null,
      smoke: { passed: 3, total: 4, allPassed: false },
      errorRatePercent: null,
      avgMs: null,
      p95Ms: 1200,
      peakMemoryMb: null,
      userImpact: { errors5xxAfterSwitch: 2 },
    };
    const status = Object.fromEntries(successReportRows(bad, { switched: true }).map((r) => [r.item, r.status]));
    expect(status).toEqual({
      "Test pass rate": "no_data",
      "Deployment time": "not_met",
      Downtime: "not_met",
      "Health check": "not_met",
      "Smoke tests": "not_met",
      "Error rate": "no_data",
      "Response time (average)": "no_data",
      "Response time (P95)": "not_met",
      "Memory (peak)": "no_data",
      "User impact": "not_met",
    });
    const never = successReportRows(good, { switched: false });
    expect(never.find((r) => r.item === "Downtime")).toMatchObject({
      measured: "never switched",
      status: "no_data",
      value: null,
    });
  });
});

describe("the test pass rate row", () => {
  const summary = (passed: number, failed: number, skipped = 0) => ({
    total: passed + failed + skipped,
    passed,
    failed,
    errors: 0,
    skipped,
    timeSeconds: 12.5,
    suites: 1,
    slowest: [],
    failures: [],
  });
  const first = (tests: ReturnType<typeof summary>) => successReportRows(good, { switched: true, tests })[0];

  it("reads the seed's 51/51 as 100 % and met", () => {
    expect(first(summary(51, 0))).toEqual({
      item: "Test pass rate",
      criterion: "100% of the release's tests",
      measured: "100 % (51/51)",
      value: 100,
      status: "met",
    });
  });

  it("counts skipped tests out of the rate and never rounds a failure up to 100 %", () => {
    expect(first(summary(5, 0, 1))).toMatchObject({ measured: "100 % (5/5), 1 skipped", status: "met" });
    expect(first(summary(999, 1))).toMatchObject({ measured: "99.9 % (999/1000)", value: 99.9, status: "not_met" });
    expect(first(summary(1999, 1))).toMatchObject({ measured: "99.9 % (1999/2000)", status: "not_met" });
    expect(first(summary(0, 0, 3))).toMatchObject({ measured: "no test ran (3 skipped)", status: "no_data" });
  });
});

describe("CSV and Markdown", () => {
  it("quotes fields with commas, quotes and line breaks and defuses spreadsheet formulas", () => {
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvField(-1.5)).toBe("-1.5");
    expect(csvField(null)).toBe("");
    expect(toCsv(["x", "y"], [[1, "two\nlines"]])).toBe('x,y\r\n1,"two\nlines"\r\n');
  });

  it("writes the report table", () => {
    const rows = successReportRows(good, { switched: true }).slice(1, 3);
    expect(reportRowsCsv(rows)).toBe(
      "item,criterion,measured,value,status\r\nDeployment time,< 15 min,10 min 0 s,600,met\r\nDowntime,0 failed requests during the switch,0 failed requests in 0 s,0,met\r\n",
    );
    expect(reportRowsMarkdown("Report | x", rows, ["note"])).toBe(
      "# Report \\| x\n\n| item | criterion | measured | status |\n|---|---|---|---|\n| Deployment time | < 15 min | 10 min 0 s | met |\n| Downtime | 0 failed requests during the switch | 0 failed requests in 0 s | met |\n\n- note\n",
    );
  });

  it("writes the daily report and reads its day", () => {
    expect(dayRange("2026-11-25")).toEqual({ date: "2026-11-25", from: 1_795_564_800, to: 1_795_651_200 });
    expect(() => dayRange("2026-02-30")).toThrow(/YYYY-MM-DD/);
    expect(() => dayRange("yesterday")).toThrow(/YYYY-MM-DD/);
    const csv = dailyReportCsv({
      service: "shop",
      date: "2026-11-25",
      from: 0,
      to: 86_400,
      requests: 125_400,
      successful: 125_390,
      failed: 10,
      successPercent: (125_390 / 125_400) * 100,
      avgMs: 44.04,
      p95Ms: 92,
      uptimePercent: 99.95,
      observedMinutes: 1440,
      downMinutes: 0,
    });
    expect(csv.split("\r\n")[1]).toBe("shop,2026-11-25,125400,125390,10,99.992,44,92,99.95,1440,0");
  });
});
