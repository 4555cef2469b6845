import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb, type Db } from "@/lib/db/client";
import { MetricsRecorder } from "./recorder";
import { flushMetrics } from "./flush-metrics";
import { readRollups } from "./rollup-store";
import { bucketRange, queryWindow } from "./query-window";
import { compactMetrics, rolledUntil } from "./compact-metrics";
import { onMetricPoint, type LivePoint } from "./bus";
import { readWindowStats } from "./window-stats";
import { percentile } from "./histogram";

let dir: string;
let db: Db;
const T0 = 1_795_000_020; // a minute boundary

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-e-store-"));
  const migrations = path.join(dir, "migrations");
  fs.mkdirSync(migrations);
  for (const file of ["0003_metrics.sql", "0015_status_classes.sql"])
    fs.copyFileSync(path.join(process.cwd(), "migrations", file), path.join(migrations, file));
  db = openDb(path.join(dir, "greenlight.db"), migrations);
});
afterAll(() => {
  db?.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("flushing per-second rollups", () => {
  it("stores each second once, merges late lines into it, and announces every stored point", () => {
    const seen: LivePoint[] = [];
    const off = onMetricPoint((p) => seen.push(p));
    const rec = new MetricsRecorder();
    for (let i = 0; i < 10; i++) rec.request("shop", "blue", T0 + 0.1 * i, i === 0 ? 503 : 200, 10 + i);
    rec.request("shop", "green", T0 + 1.5, 200, 40);
    expect(flushMetrics(db, rec)).toHaveLength(2);
    rec.request("shop", "blue", T0 + 0.99, 200, 2000);
    rec.resources("shop", "blue", T0, 12.5, 150 * 1024 * 1024);
    flushMetrics(db, rec);
    off();
    const rows = readRollups(db, { service: "shop", from: T0, to: T0 + 2 });
    expect(rows.map((r) => [r.slot, r.ts, r.requests, r.errors5xx, r.samples])).toEqual([
      ["blue", T0, 11, 1, 1],
      ["green", T0 + 1, 1, 0, 0],
    ]);
    expect(rows[0]!.latencySumMs).toBe(145 + 2000);
    expect(percentile(rows[0]!.hist, 1)).toBeGreaterThan(1980);
    expect(seen.map((p) => [p.service, p.slot, p.t])).toEqual([
      ["shop", "blue", T0],
      ["shop", "green", T0 + 1],
      ["shop", "blue", T0],
    ]);
    expect(seen[2]).toMatchObject({ rps: 11, cpuPct: 12.5, memMb: 150 });
    expect(flushMetrics(db, rec)).toEqual([]);
  });
});

describe("windows, retention and the long views", () => {
  const start = T0 + 600;
  const hours = 80;
  const exact: number[] = [];

  beforeAll(() => {
    // 80 h of one request every 10 s on blue (latency grows with the hour), memory every 10 s on green.
    const rec = new MetricsRecorder();
    for (let t = start; t < start + hours * 3600; t += 10) {
      const ms = 20 + ((t - start) / 3600) * 2;
      rec.request("shop", "blue", t, (t / 10) % 50 === 0 ? 500 : 200, ms);
      if (t >= start + (hours - 1) * 3600) exact.push(ms);
      rec.resources("shop", "green", t, 5, 100 * 1024 * 1024);
    }
    flushMetrics(db, rec);
  });

  it("returns about 300 points per window at the chart's resolution", () => {
    const now = start + hours * 3600 - 1;
    for (const [window, step] of [
      ["5m", 1],
      ["15m", 3],
      ["1h", 12],
      ["3h", 36],
      ["24h", 300],
      ["72h", 900],
    ] as const) {
      const q = queryWindow({ db, service: "shop", window, now });
      expect(q.stepSeconds).toBe(step);
      expect(q.series.blue!.length).toBeGreaterThanOrEqual(288);
      expect(q.series.blue!.length).toBeLessThanOrEqual(300);
      expect(q.series.green!.length).toBe(q.series.blue!.length);
      expect(q.to).toBeGreaterThan(now);
    }
    const hour = queryWindow({ db, service: "shop", window: "1h", now });
    const requests = hour.series.blue!.reduce((n, p) => n + p.rps * hour.stepSeconds, 0);
    expect(requests).toBe(360);
    expect(hour.series.green!.every((p) => p.memMb === 100 || p.memMb === null)).toBe(true);
  });

  it("computes the trigger window from stored seconds", () => {
    const stats = readWindowStats(db, { service: "shop", slot: "green", windowSeconds: 30, now: T0 + 1000 });
    expect(stats.memMb).toBe(100);
    expect(stats.requests).toBe(0);
  });

  it("compacts into minutes, keeps 72 h of seconds, and answers the same from either table", () => {
    const now = start + hours * 3600;
    const before = queryWindow({ db, service: "shop", window: "24h", now });
    let result = compactMetrics(db, now);
    while (rolledUntil(db) < now - 180) result = compactMetrics(db, now);
    expect(result.minutesRolled).toBeGreaterThan(0);
    const oldest = db.$client.prepare("SELECT MIN(ts) AS ts FROM metric_points").get() as { ts: number };
    expect(oldest.ts).toBeGreaterThanOrEqual(now - 72 * 3600);
    const minuteRows = db.$client
      .prepare("SELECT COUNT(*) AS n FROM metric_minutes WHERE service = 'shop' AND slot = 'blue' AND ts >= ?")
      .get(start) as { n: number };
    // The last two minutes wait for late lines.
    expect(minuteRows.n).toBe(hours * 60 - 2);
    const after = queryWindow({ db, service: "shop", window: "24h", now });
    expect(after.series.blue!.map((p) => p.rps)).toEqual(before.series.blue!.map((p) => p.rps));
    expect(after.series.blue!.map((p) => p.p95Ms)).toEqual(before.series.blue!.map((p) => p.p95Ms));
    const again = compactMetrics(db, now);
    expect(again).toEqual({ minutesRolled: 0, secondsDeleted: 0, minutesDeleted: 0 });
    const later = compactMetrics(db, now + 40 * 86_400);
    expect(later.minutesDeleted).toBeGreaterThan(0);
  });
});

describe("long ranges read an hour at a time", () => {
  it("gives every bucket of a 3 h range once, with a colour first seen in the last hour filled from the start", () => {
    const start = T0 + 50 * 86_400;
    const recorder = new MetricsRecorder();
    for (let s = 0; s < 3 * 3600; s++) recorder.request("chunks", "green", start + s, 200, 10);
    for (let s = 2 * 3600 + 100; s < 2 * 3600 + 136; s++) recorder.request("chunks", "unknown", start + s, 502, 1);
    flushMetrics(db, recorder);
    const series = bucketRange(db, "chunks", start, start + 3 * 3600, 36);
    expect(Object.keys(series).sort()).toEqual(["blue", "green", "unknown"]);
    for (const slot of ["blue", "green", "unknown"]) {
      expect(series[slot]).toHaveLength(300);
      expect(series[slot]!.map((p) => p.t)).toEqual(Array.from({ length: 300 }, (_, i) => start + i * 36));
    }
    expect(series.green!.every((p) => p.rps === 1 && p.errorRate === 0)).toBe(true);
    expect(series.blue!.every((p) => p.rps === 0)).toBe(true);
    // 36 failures from second 7300 on: they fill buckets 202 (7272-7307, 8 of them) and 203 (7308-7343, 28).
    const failing = series.unknown!.flatMap((p, i) => (p.rps > 0 ? [[i, Math.round(p.rps * 36)]] : []));
    expect(failing).toEqual([
      [202, 8],
      [203, 28],
    ]);
  });
});
