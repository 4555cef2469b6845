import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb, type Db } from "@/lib/db/client";
import { MetricsRecorder } from "@/lib/metrics/recorder";
import { flushMetrics } from "@/lib/metrics/flush-metrics";
import { dbErrorWindows } from "./metrics-evaluator";

let dir: string;
let db: Db;
const T0 = 1_795_000_000;
const rule = { slot: "green" as const, windowSeconds: 4, windows: 3, perMinute: 10, sinceSec: T0 };

/** Stores one DB error of `service`'s green colour at each second given (relative to T0), through the flusher. */
function errorsAt(service: string, seconds: number[]) {
  const recorder = new MetricsRecorder();
  for (const s of seconds) recorder.dbErrors(service, "green", T0 + s + 0.5, 1);
  flushMetrics(db, recorder);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-dbe-"));
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

describe("DB errors judged the moment they are stored, by the consecutive-windows rule", () => {
  it("one error every 4 s (15 a minute) breaches with the third error, in the second it was logged", () => {
    errorsAt("steady", [3, 7, 11]);
    expect(dbErrorWindows(db, { ...rule, service: "steady", endSec: T0 + 7 })).toBeNull();
    const verdict = dbErrorWindows(db, { ...rule, service: "steady", endSec: T0 + 11 });
    expect(verdict?.verdict).toBe("breach");
    expect(verdict?.reasons[0]).toMatchObject({ metric: "database_connection_errors", value: 15, threshold: 10 });
  });

  it("a burst inside one window is one window over the threshold, not three", () => {
    errorsAt("burst", [9, 9, 10, 11, 11]);
    expect(dbErrorWindows(db, { ...rule, service: "burst", endSec: T0 + 11 })).toBeNull();
  });

  it("a window without an error breaks the run, as a clean evaluation would", () => {
    errorsAt("gap", [1, 2, 9, 10]);
    expect(dbErrorWindows(db, { ...rule, service: "gap", endSec: T0 + 10 })).toBeNull();
  });

  it("errors from before the watch began never decide alone", () => {
    errorsAt("before", [-9, -5, -1, 2, 6]);
    expect(dbErrorWindows(db, { ...rule, service: "before", endSec: T0 - 1 })).toBeNull();
    expect(dbErrorWindows(db, { ...rule, service: "before", endSec: T0 + 6 })).toBeNull();
    errorsAt("before", [10]);
    expect(dbErrorWindows(db, { ...rule, service: "before", endSec: T0 + 10 })?.verdict).toBe("breach");
  });

  it("only the watched colour counts, and the threshold is exceeded, not met", () => {
    const recorder = new MetricsRecorder();
    for (const s of [3, 7, 11]) recorder.dbErrors("colours", "blue", T0 + s, 1);
    flushMetrics(db, recorder);
    expect(dbErrorWindows(db, { ...rule, service: "colours", endSec: T0 + 11 })).toBeNull();
    errorsAt("exact", [3, 7, 11]);
    expect(dbErrorWindows(db, { ...rule, service: "exact", endSec: T0 + 11, perMinute: 15 })).toBeNull();
  });
});
