import { describe, expect, it } from "vitest";
import { emptyPoint } from "./metrics-series";
import { boardCsv, boardCsvFilename } from "./metrics-export";

describe("board CSV", () => {
  it("gives one row per bucket with both colours' figures, empty where a bucket has none", () => {
    const t0 = Date.UTC(2026, 11, 3, 14, 0, 0) / 1000;
    const csv = boardCsv({
      blue: [
        { ...emptyPoint(t0), rps: 1 / 12, errorRate: 2.5, p50Ms: 10, p95Ms: 40, p99Ms: 90, cpuPct: 3, memMb: 120 },
        emptyPoint(t0 + 12),
      ],
      green: [{ ...emptyPoint(t0 + 12), rps: 4, dbErrorsPerMin: 1 }],
    });
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "t,blue_rps,blue_errorRate,blue_p50Ms,blue_p95Ms,blue_p99Ms,blue_cpuPct,blue_memMb,blue_dbErrorsPerMin," +
        "green_rps,green_errorRate,green_p50Ms,green_p95Ms,green_p99Ms,green_cpuPct,green_memMb,green_dbErrorsPerMin",
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe("2026-12-03T14:00:00.000Z,0.0833,2.5,10,40,90,3,120,0,,,,,,,,");
    expect(lines[2]).toBe("2026-12-03T14:00:12.000Z,0,,,,,,,0,4,,,,,,,1");
  });

  it("names the file after the service and the range", () => {
    const from = Date.UTC(2026, 11, 3, 14, 0, 0) / 1000;
    expect(boardCsvFilename("private trade", from, from + 3600)).toBe(
      "greenlight-private_trade-20261203T1400Z-20261203T1500Z.csv",
    );
  });
});
