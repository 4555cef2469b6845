import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { pointAtStep } from "@/lib/views/metrics-stream";
import { MetricsRecorder } from "./recorder";
import { flushMetrics } from "./flush-metrics";
import { readRollups } from "./rollup-store";
import { compactMetrics, rolledUntil } from "./compact-metrics";
import { queryWindow } from "./query-window";
import { toSeriesPoint } from "./summarize";

let dir: string;
const T0 = 1_795_000_020; // a minute boundary

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-status-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("requests by status class", () => {
  let db: Db;
  beforeAll(() => {
    db = openDb(path.join(dir, "current.db"));
  });
  afterAll(() => db?.$client.close());

  it("counts 4xx and 5xx apart from the rest from the recorder through the flush, the store and the minutes", () => {
    const rec = new MetricsRecorder();
    // Second 0 on blue: 6 × 200, 1 × 301, 2 × 404, 1 × 499 (a client that went away), 1 × 503.
    for (const status of [200, 200, 200, 200, 200, 200, 301, 404, 404, 499, 503])
      rec.request("shop", "blue", T0, status, 20);
    // Second 1 on blue: 400 and 500 (the class edges); green: 3 × 200 and 1 × 429.
    rec.request("shop", "blue", T0 + 1.2, 400, 20);
    rec.request("shop", "blue", T0 + 1.7, 500, 20);
    for (const status of [200, 200, 200, 429]) rec.request("shop", "green", T0 + 1, status, 20);
    const live = flushMetrics(db, rec);
    const blue0 = live.find((p) => p.slot === "blue" && p.t === T0)!;
    expect(blue0).toMatchObject({ rps: 11, rpsUnder400: 7, rps4xx: 3, rps5xx: 1 });
    expect(live.find((p) => p.slot === "green")).toMatchObject({ rps: 4, rpsUnder400: 3, rps4xx: 1, rps5xx: 0 });

    // A late 404 for second 0 merges into the stored row.
    rec.request("shop", "blue", T0 + 0.5, 404, 20);
    flushMetrics(db, rec);
    const stored = readRollups(db, { service: "shop", from: T0, to: T0 + 2 });
    expect(stored.map((r) => [r.slot, r.ts, r.requests, r.errors4xx, r.errors5xx])).toEqual([
      ["blue", T0, 12, 4, 1],
      ["blue", T0 + 1, 2, 1, 1],
      ["green", T0 + 1, 4, 1, 0],
    ]);

    // The stream of a window with 5 s steps re-reads the step: blue over [T0, T0 + 5) is 14 requests.
    const streamed = pointAtStep(db, { service: "shop", slot: "blue", ...toSeriesPoint(stored[0]!, T0, 1) }, 5);
    expect(streamed).toMatchObject({ t: T0, rpsUnder400: 7 / 5, rps4xx: 5 / 5, rps5xx: 2 / 5 });

    // Rolled into its minute, blue keeps 14 requests of which 5 are 4xx and 2 are 5xx.
    const now = T0 + 600;
    while (rolledUntil(db) < now - 180) compactMetrics(db, now);
    const minutes = readRollups(db, { service: "shop", from: T0, to: T0 + 60, table: "metric_minutes" });
    expect(minutes.map((r) => [r.slot, r.ts, r.requests, r.errors4xx, r.errors5xx])).toEqual([
      ["blue", T0, 14, 5, 2],
      ["green", T0, 4, 1, 0],
    ]);
    // A long window is drawn from the minutes and gives the same classes per second of its step.
    const day = queryWindow({ db, service: "shop", window: "24h", now });
    const step = day.stepSeconds;
    const blueStep = day.series.blue!.find((p) => p.t <= T0 && T0 < p.t + step)!;
    expect(blueStep.rps4xx * step).toBeCloseTo(5, 9);
    expect(blueStep.rps5xx * step).toBeCloseTo(2, 9);
    expect(blueStep.rpsUnder400 * step).toBeCloseTo(7, 9);
  });
});

describe("rows stored before the 4xx column", () => {
  it("read as 0 4xx once the migration adds it, every request not 5xx counted below 400", () => {
    const file = path.join(dir, "old.db");
    const oldMigrations = path.join(dir, "migrations-0014");
    fs.mkdirSync(oldMigrations);
    for (const f of fs.readdirSync(path.join(process.cwd(), "migrations")))
      if (f.endsWith(".sql") && f < "0015")
        fs.copyFileSync(path.join(process.cwd(), "migrations", f), path.join(oldMigrations, f));
    const sqlite = new Database(file);
    migrate(sqlite, oldMigrations);
    const columns = (table: string) =>
      (sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    expect(columns("metric_points")).not.toContain("errors_4xx");
    // Written the way Greenlight wrote rollups before: no 4xx column.
    for (const table of ["metric_points", "metric_minutes"])
      sqlite
        .prepare(
          `INSERT INTO ${table} (service, slot, ts, requests, errors_5xx, latency_sum_ms, hist) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run("shop", "green", T0, 10, 2, 100, "[]");
    sqlite.close();

    const db = openDb(file);
    try {
      const migrated = (db.$client.prepare("PRAGMA table_info(metric_minutes)").all() as { name: string }[]).map(
        (c) => c.name,
      );
      expect(migrated).toContain("errors_4xx");
      for (const table of ["metric_points", "metric_minutes"] as const) {
        const [row] = readRollups(db, { service: "shop", from: T0, to: T0 + 1, table });
        expect(row).toMatchObject({ requests: 10, errors4xx: 0, errors5xx: 2 });
        expect(toSeriesPoint(row!, T0, 1)).toMatchObject({ rps: 10, rpsUnder400: 8, rps4xx: 0, rps5xx: 2 });
      }
    } finally {
      db.$client.close();
    }
  });
});
