import { describe, expect, it } from "vitest";
import { emptyPoint } from "./metrics-series";
import { boardCsv, boardCsvFilename } from "./metrics-export";

describe("board CSV", () => {
  it("gives one row per bucket with both colours' figures and status-class counts, empty where a bucket has none", () => {
    const t0 = Date.UTC(2026, 11, 3, 14, 0, 0) / 1000;
    // 12 s buckets: 10 requests in the first (7 below 400, two 4xx, one 5xx), 48 on green in the second.
    const csv = boardCsv(
      {
        blue: [
          {
            ...emptyPoint(t0),
            rps: 10 / 12,
            rpsUnder400: 7 / 12,
            rps4xx: 2 / 12,
            rps5xx: 1 / 12,
            errorRate: 2.5,
            p50Ms: 10,
            p95Ms: 40,
            p99Ms: 90,
            cpuPct: 3,
            memMb: 120,
          },
          emptyPoint(t0 + 12),
        ],
        green: [{ ...emptyPoint(t0 + 12), rps: 4, rpsUnder400: 4, dbErrorsPerMin: 1 }],
      },
      12,
    );
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "t,blue_rps,blue_errorRate,blue_p50Ms,blue_p95Ms,blue_p99Ms,blue_cpuPct,blue_memMb,blue_dbErrorsPerMin," +
        "blue_count2xx3xx,blue_count4xx,blue_count5xx," +
        "green_rps,green_errorRate,green_p50Ms,green_p95Ms,green_p99Ms,green_cpuPct,green_memMb,green_dbErrorsPerMin," +
        "green_count2xx3xx,green_count4xx,green_count5xx",
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe("2026-12-03T14:00:00.000Z,0.8333,2.5,10,40,90,3,120,0,7,2,1,,,,,,,,,,,");
    expect(lines[2]).toBe("2026-12-03T14:00:12.000Z,0,,,,,,,0,0,0,0,4,,,,,,,1,48,0,0");
  });

  it("names the file after the service and the range", () => {
    const from = Date.UTC(2026, 11, 3, 14, 0, 0) / 1000;
    expect(boardCsvFilename("private trade", from, from + 3600)).toBe(
      "greenlight-private_trade-20261203T1400Z-20261203T1500Z.csv",
    );
  });
});
