import { describe, expect, it } from "vitest";
import {
  chartRows,
  currentValue,
  emptyPoint,
  hasData,
  legendFigures,
  mergeLivePoint,
  statusRows,
  statusSeries,
  type SlotSeries,
} from "./metrics-series";

const pt = (t: number, rps: number, p95Ms: number | null = null) => ({ ...emptyPoint(t), rps, p95Ms });

describe("mergeLivePoint", () => {
  const base: SlotSeries = { blue: [pt(100, 1), pt(101, 2), pt(102, 3)], green: [pt(100, 0), pt(101, 0), pt(102, 0)] };

  it("appends a newer point and drops the ones that fell out of the window, in every colour", () => {
    const next = mergeLivePoint(base, "blue", pt(103, 9, 40), 3, 1);
    expect(next.blue!.map((p) => [p.t, p.rps])).toEqual([
      [101, 2],
      [102, 3],
      [103, 9],
    ]);
    expect(next.green!.map((p) => p.t)).toEqual([101, 102]);
    expect(base.blue).toHaveLength(3);
  });

  it("replaces a step already shown (a late flush carries the merged figure)", () => {
    const next = mergeLivePoint(base, "blue", pt(102, 7), 300, 1);
    expect(next.blue!.map((p) => p.rps)).toEqual([1, 2, 7]);
  });

  it("fills skipped steps with empty points like the server does", () => {
    const next = mergeLivePoint(base, "green", pt(109, 4), 300, 3);
    expect(next.green!.map((p) => [p.t, p.rps, p.p95Ms])).toEqual([
      [100, 0, null],
      [101, 0, null],
      [102, 0, null],
      [105, 0, null],
      [108, 0, null],
      [109, 4, null],
    ]);
  });

  it("starts a colour that had no series yet, and ignores a point older than the window", () => {
    const next = mergeLivePoint(base, "unknown", pt(102, 1), 300, 1);
    expect(next.unknown).toEqual([pt(102, 1)]);
    const old = mergeLivePoint({ blue: [pt(500, 1)] }, "blue", pt(100, 5), 300, 1);
    expect(old.blue).toEqual([pt(500, 1)]);
  });
});

describe("chartRows and currentValue", () => {
  const series: SlotSeries = { blue: [pt(1, 2, 30), pt(2, 4, null)], green: [pt(2, 6, 80)] };

  it("puts both colours of one step in one row", () => {
    expect(chartRows(series, ["rps", "p95Ms"])).toEqual([
      { t: 1, blue_rps: 2, blue_p95Ms: 30 },
      { t: 2, blue_rps: 4, blue_p95Ms: null, green_rps: 6, green_p95Ms: 80 },
    ]);
  });

  it("reads the newest non-null figure, or the mean of the newest few", () => {
    expect(currentValue(series, "blue", "p95Ms")).toBe(30);
    expect(currentValue(series, "blue", "rps", 2)).toBe(3);
    expect(currentValue(series, "green", "cpuPct")).toBeNull();
    expect(currentValue(series, "nowhere", "rps")).toBeNull();
  });

  it("knows a window without traffic or samples", () => {
    expect(hasData({ blue: [pt(1, 0)], green: [] })).toBe(false);
    expect(hasData({ blue: [{ ...pt(1, 0), memMb: 12 }] })).toBe(true);
    expect(hasData(series)).toBe(true);
  });
});

describe("legendFigures", () => {
  const at = (t: number, p95Ms: number | null) => ({ ...emptyPoint(t), p95Ms });
  const series: SlotSeries = {
    blue: [at(100, 40), at(101, null), at(102, 10), at(103, 70), at(104, 20), at(200, 999)],
    green: [at(100, null), at(101, null)],
  };

  it("gives last, min, max and mean over the shown range only, leaving out steps without a figure", () => {
    // In [100, 104]: 40, 10, 70, 20 (the null at 101 and the 999 at 200 are not counted): mean 140 / 4 = 35.
    expect(legendFigures(series, "blue", "p95Ms", [100, 104])).toEqual({ last: 20, min: 10, max: 70, mean: 35 });
    expect(legendFigures(series, "blue", "p95Ms", [102, 103])).toEqual({ last: 70, min: 10, max: 70, mean: 40 });
  });

  it("is all null for a colour with no figure in the range, or no series at all", () => {
    const none = { last: null, min: null, max: null, mean: null };
    expect(legendFigures(series, "green", "p95Ms", [100, 104])).toEqual(none);
    expect(legendFigures(series, "blue", "p95Ms", [300, 400])).toEqual(none);
    expect(legendFigures({}, "blue", "p95Ms", [0, 1e12])).toEqual(none);
  });
});

describe("statusSeries and statusRows", () => {
  const classes = (t: number, under400: number, c4: number, c5: number) => ({
    ...emptyPoint(t),
    rps: under400 + c4 + c5,
    rpsUnder400: under400,
    rps4xx: c4,
    rps5xx: c5,
  });
  const series: SlotSeries = {
    blue: [classes(10, 5, 1, 0), classes(11, 4, 2, 1)],
    green: [classes(11, 1, 0, 3), classes(12, 2, 1, 0)],
    unknown: [classes(11, 100, 100, 100)],
  };

  it("stacks one colour's classes per step", () => {
    expect(statusRows(statusSeries(series, "green"))).toEqual([
      { t: 11, rpsUnder400: 1, rps4xx: 0, rps5xx: 3 },
      { t: 12, rpsUnder400: 2, rps4xx: 1, rps5xx: 0 },
    ]);
  });

  it("sums both colours step by step, a step one colour lacks counting zero for it, and leaves unknown out", () => {
    const both = statusSeries(series, "both");
    expect(statusRows(both)).toEqual([
      { t: 10, rpsUnder400: 5, rps4xx: 1, rps5xx: 0 },
      { t: 11, rpsUnder400: 5, rps4xx: 2, rps5xx: 4 },
      { t: 12, rpsUnder400: 2, rps4xx: 1, rps5xx: 0 },
    ]);
    expect(both.status!.map((p) => p.rps)).toEqual([6, 11, 3]);
    expect(legendFigures(both, "status", "rps4xx", [10, 12])).toEqual({ last: 1, min: 1, max: 2, mean: 4 / 3 });
    expect(currentValue(both, "status", "rps5xx", 2)).toBe(2);
    // The input series are left as they were.
    expect(series.blue![1]).toMatchObject({ rps: 7, rps4xx: 2 });
  });
});
