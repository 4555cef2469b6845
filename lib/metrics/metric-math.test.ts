import { describe, expect, it } from "vitest";
import {
  addSample,
  bucketOf,
  BOUNDS,
  BUCKET_COUNT,
  decodeHistogram,
  encodeHistogram,
  mergeInto,
  percentile,
  type Histogram,
} from "./histogram";
import { cpuPercent, memoryUsageBytes } from "@/lib/docker/stats-math";
import { emptyRollup } from "./rollup";
import { bucketSeries, mergeAll, toSeriesPoint } from "./summarize";
import { MetricsRecorder } from "./recorder";

function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

function histOf(values: number[]): Histogram {
  const h: Histogram = new Map();
  for (const v of values) addSample(h, v);
  return h;
}

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("histogram buckets", () => {
  it("places every value inside its bucket's bounds", () => {
    const r = rng(1);
    for (let i = 0; i < 20_000; i++) {
      const v = Math.exp(r() * Math.log(70_000));
      const b = bucketOf(v);
      expect(v).toBeGreaterThanOrEqual(BOUNDS[b]!);
      if (b + 1 < BOUNDS.length) expect(v).toBeLessThan(BOUNDS[b + 1]!);
    }
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(0.999)).toBe(0);
    expect(bucketOf(1)).toBe(1);
    expect(bucketOf(1e9)).toBe(BUCKET_COUNT - 1);
    expect(bucketOf(Number.NaN)).toBe(0);
  });

  it("round-trips through its text form", () => {
    const h = histOf([0, 1, 5, 5, 12.5, 400, 2500, 90_000]);
    const text = encodeHistogram(h);
    expect(JSON.parse(text)).toHaveLength(2 * h.size);
    expect(decodeHistogram(text)).toEqual(h);
    expect(decodeHistogram("[]").size).toBe(0);
  });
});

describe("p95 from the histogram against the sorted array", () => {
  const cases: Array<[string, (r: () => number) => number]> = [
    ["uniform 1..100 ms", (r) => 1 + r() * 99],
    [
      "log-normal around 45 ms",
      (r) => 45 * Math.exp(0.5 * Math.sqrt(-2 * Math.log(r() || 1e-9)) * Math.cos(2 * Math.PI * r())),
    ],
    ["exponential mean 200 ms", (r) => -200 * Math.log(r() || 1e-9)],
    ["bimodal 20 ms / 1800 ms", (r) => (r() < 0.9 ? 15 + r() * 10 : 1500 + r() * 600)],
    ["whole milliseconds as nginx logs them", (r) => Math.round(30 + r() * 40)],
  ];
  for (const [name, draw] of cases) {
    it(`${name}: within 2% for p50, p95, p99`, () => {
      const r = rng(name.length);
      for (const n of [20, 137, 1000, 25_000]) {
        const values = Array.from({ length: n }, () => draw(r));
        const h = histOf(values);
        for (const p of [0.5, 0.95, 0.99]) {
          const exact = exactPercentile(values, p);
          const est = percentile(h, p)!;
          expect(Math.abs(est - exact) / exact, `${name} n=${n} p=${p}: ${est} vs ${exact}`).toBeLessThanOrEqual(0.02);
        }
      }
    });
  }

  it("is null on an empty histogram and exact to 1 ms below 1 ms", () => {
    expect(percentile(new Map(), 0.95)).toBeNull();
    const est = percentile(histOf([0, 0, 0, 0.5]), 0.95)!;
    expect(est).toBeGreaterThanOrEqual(0);
    expect(est).toBeLessThan(1);
  });

  it("merges windows: the merged p95 equals the p95 of all values, not an average of p95s", () => {
    const r = rng(7);
    const fast = Array.from({ length: 900 }, () => 10 + r() * 10);
    const slow = Array.from({ length: 100 }, () => 1000 + r() * 1000);
    const merged = mergeInto(histOf(fast), histOf(slow));
    const exact = exactPercentile([...fast, ...slow], 0.95);
    expect(Math.abs(percentile(merged, 0.95)! - exact) / exact).toBeLessThanOrEqual(0.02);
    const averaged = (percentile(histOf(fast), 0.95)! + percentile(histOf(slow), 0.95)!) / 2;
    expect(Math.abs(averaged - exact) / exact).toBeGreaterThan(0.2);
  });
});

describe("window merging into chart points", () => {
  it("sums counts per step and merges histograms across seconds", () => {
    const rec = new MetricsRecorder();
    const values: number[] = [];
    for (let s = 0; s < 6; s++) {
      for (let i = 0; i < 10; i++) {
        const ms = (s + 1) * 10 + i;
        values.push(ms);
        rec.request("svc", "blue", 1000 + s + 0.5, s === 2 && i < 3 ? 502 : 200, ms);
      }
    }
    rec.resources("svc", "blue", 1001, 20, 100 * 1024 * 1024);
    rec.resources("svc", "blue", 1003, 40, 200 * 1024 * 1024);
    rec.dbErrors("svc", "blue", 1004, 2);
    const series = bucketSeries(rec.drain(), 1000, 1006, 3);
    expect(series.map((p) => p.t)).toEqual([1000, 1003]);
    const [a, b] = series as [ReturnType<typeof toSeriesPoint>, ReturnType<typeof toSeriesPoint>];
    expect(a.rps).toBe(10);
    expect(a.errorRate).toBeCloseTo((3 / 30) * 100, 10);
    expect(a.avgMs).toBeCloseTo(values.slice(0, 30).reduce((x, y) => x + y, 0) / 30, 10);
    const exactA = exactPercentile(values.slice(0, 30), 0.95);
    expect(Math.abs(a.p95Ms! - exactA) / exactA).toBeLessThanOrEqual(0.02);
    // p50 and p99 come from the same merged histogram, as close to the exact order statistics.
    for (const [got, p] of [
      [a.p50Ms, 0.5],
      [a.p99Ms, 0.99],
    ] as const) {
      const exact = exactPercentile(values.slice(0, 30), p);
      expect(Math.abs(got! - exact) / exact).toBeLessThanOrEqual(0.02);
    }
    expect(a.p50Ms!).toBeLessThan(a.p95Ms!);
    expect(a.p95Ms!).toBeLessThanOrEqual(a.p99Ms!);
    expect(a.cpuPct).toBe(20);
    expect(a.memMb).toBe(100);
    expect(b.cpuPct).toBe(40);
    expect(b.dbErrorsPerMin).toBe(40);
    expect(b.errorRate).toBe(0);
  });

  it("leaves steps without data as gaps, not zeros", () => {
    const [p] = bucketSeries([], 0, 10, 10);
    expect(p).toEqual({
      t: 0,
      rps: 0,
      rpsUnder400: 0,
      rps4xx: 0,
      rps5xx: 0,
      errorRate: null,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
      avgMs: null,
      cpuPct: null,
      memMb: null,
      dbErrorsPerMin: 0,
    });
    expect(mergeAll([emptyRollup("s", "blue", 1)]).requests).toBe(0);
  });

  it("ignores NaN resource samples", () => {
    const rec = new MetricsRecorder();
    rec.resources("svc", "green", 5, Number.NaN, 10);
    expect(rec.size).toBe(0);
  });
});

describe("Docker CLI figures", () => {
  const base = {
    cpu_stats: {
      cpu_usage: { total_usage: 2_400_000_000, percpu_usage: [1, 2] },
      system_cpu_usage: 20_000_000_000,
      online_cpus: 2,
    },
    precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 18_000_000_000 },
    memory_stats: { usage: 300_000_000, stats: { inactive_file: 50_000_000 } },
  };
  it("computes CPU % as delta container / delta system x online CPUs x 100", () => {
    expect(cpuPercent(base)).toBeCloseTo((400_000_000 / 2_000_000_000) * 2 * 100, 10);
    expect(cpuPercent({ ...base, cpu_stats: { ...base.cpu_stats, online_cpus: 0 } })).toBeCloseTo(40, 10);
    expect(
      cpuPercent({ ...base, precpu_stats: { cpu_usage: { total_usage: 0 }, system_cpu_usage: 20_000_000_000 } }),
    ).toBe(0);
  });
  it("subtracts the page cache from memory (cgroup v2 inactive_file, v1 total_inactive_file)", () => {
    expect(memoryUsageBytes(base)).toBe(250_000_000);
    expect(
      memoryUsageBytes({ ...base, memory_stats: { usage: 300_000_000, stats: { total_inactive_file: 100_000_000 } } }),
    ).toBe(200_000_000);
  });
});
