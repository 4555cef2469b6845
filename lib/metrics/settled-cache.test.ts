import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb, type Db } from "@/lib/db/client";
import { writeRollups } from "./rollup-store";
import { emptyRollup, type Rollup } from "./rollup";
import { queryWindow } from "./query-window";
import { compactMetrics } from "./compact-metrics";
import { serviceDailyReport } from "@/lib/views/metrics-daily";

// Settled buckets are reused between answers; these tests check that every answer still equals the stored data.
let dir: string;
let db: Db;
const DAY = 1_795_046_400; // 2026-11-19 00:00:00 UTC
const NOW = DAY + 12 * 3600; // noon

function second(ts: number, requests: number, errors = 0, slot: Rollup["slot"] = "blue"): Rollup {
  const r = emptyRollup("shop", slot, ts);
  r.requests = requests;
  r.errors5xx = errors;
  r.latencySumMs = requests * 20;
  r.hist = new Map([[100, requests]]);
  return r;
}

const total = (points: { rps: number }[], step: number) => points.reduce((n, p) => n + p.rps * step, 0);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-settled-"));
  db = openDb(path.join(dir, "greenlight.db"));
  // Two requests every second of the last two hours before noon.
  writeRollups(
    db,
    Array.from({ length: 7200 }, (_, i) => second(NOW - 7200 + i, 2)),
  );
});
afterEach(() => {
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("reusing settled buckets", () => {
  it("answers a window asked again exactly as it answered the first time", () => {
    const first = queryWindow({ db, service: "shop", window: "1h", now: NOW });
    const again = queryWindow({ db, service: "shop", window: "1h", now: NOW });
    expect(again).toEqual(first);
    // The window ends with the 12 s bucket that holds NOW: the 3588 seconds before NOW carry 2 requests each.
    expect(total(first.series.blue!, first.stepSeconds)).toBe(2 * 3588);
  });

  it("shows a late line written into a settled bucket, in the window and in the daily report", () => {
    queryWindow({ db, service: "shop", window: "1h", now: NOW });
    serviceDailyReport(db, "shop", "2026-11-19", NOW * 1000);
    // A line for half an hour ago (long settled) arrives late, with 5 errors.
    writeRollups(db, [second(NOW - 1800, 5, 5)]);
    const window = queryWindow({ db, service: "shop", window: "1h", now: NOW });
    expect(total(window.series.blue!, window.stepSeconds)).toBe(2 * 3588 + 5);
    const day = serviceDailyReport(db, "shop", "2026-11-19", NOW * 1000);
    expect(day.requests).toBe(2 * 7200 + 5);
    expect(day.failed).toBe(5);
  });

  it("slides the window: a minute later it has the new seconds and drops the oldest", () => {
    queryWindow({ db, service: "shop", window: "1h", now: NOW });
    writeRollups(
      db,
      Array.from({ length: 60 }, (_, i) => second(NOW + i, 10)),
    );
    const later = queryWindow({ db, service: "shop", window: "1h", now: NOW + 60 });
    // The window (12 s steps) now ends in the bucket after NOW + 60: the last 3540 s of the old traffic, 60 new ones.
    const fresh = (() => {
      const other = openDb(path.join(dir, "greenlight.db"));
      try {
        return queryWindow({ db: other, service: "shop", window: "1h", now: NOW + 60 });
      } finally {
        other.$client.close();
      }
    })();
    expect(later).toEqual(fresh);
    expect(total(later.series.blue!, later.stepSeconds)).toBe(2 * (3600 - 60 - 12) + 10 * 60);
  });

  it("answers the same from minutes after the retention job rolled the seconds", () => {
    const before = queryWindow({ db, service: "shop", window: "24h", now: NOW });
    expect(compactMetrics(db, NOW).minutesRolled).toBe(118);
    const after = queryWindow({ db, service: "shop", window: "24h", now: NOW });
    expect(after).toEqual(before);
    expect(total(after.series.blue!, after.stepSeconds)).toBe(2 * 7200);
  });

  it("shows a colour that first appears in a settled bucket", () => {
    queryWindow({ db, service: "shop", window: "1h", now: NOW });
    writeRollups(db, [second(NOW - 3000, 7, 0, "green"), second(NOW - 2000, 1, 1, "unknown")]);
    const window = queryWindow({ db, service: "shop", window: "1h", now: NOW });
    expect(total(window.series.green!, window.stepSeconds)).toBe(7);
    expect(total(window.series.unknown!, window.stepSeconds)).toBe(1);
    expect(window.series.unknown).toHaveLength(window.series.blue!.length);
  });

  it("keeps a finished day's report and today's settled minutes, and counts what came since", () => {
    const first = serviceDailyReport(db, "shop", "2026-11-19", NOW * 1000);
    expect(first.requests).toBe(2 * 7200);
    expect(first.observedMinutes).toBe(120);
    writeRollups(db, [second(NOW + 5, 4, 4)]);
    const later = serviceDailyReport(db, "shop", "2026-11-19", (NOW + 10) * 1000);
    expect(later.requests).toBe(2 * 7200 + 4);
    expect(later.observedMinutes).toBe(121);
    // The minute of NOW + 5 has 4 requests, all failed: a down minute.
    expect(later.downMinutes).toBe(1);
  });
});
