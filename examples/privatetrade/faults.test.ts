import type Docker from "dockerode";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrivatetradeImages } from "./build-images";
import { readFaults, requestFaultsOn } from "./src/faults";
import { initDb } from "./src/init-db";
import { logLines, readLogs, removeSuiteContainers, request, startApp, waitForAnswer } from "./test-support";

const SUITE = "pt-faults";
const IMAGE = "privatetrade:1.9.0";
let dir = "";

beforeAll(async () => {
  await buildPrivatetradeImages({ versions: ["1.9.0"] });
  await removeSuiteContainers(SUITE);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-a-faults-"));
  initDb(path.join(dir, "backtest.db"));
});

afterAll(async () => {
  await removeSuiteContainers(SUITE);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const start = (port: number, env: Record<string, string>) =>
  startApp({ suite: SUITE, image: IMAGE, port, dbDir: dir, env });

async function pollLogs(container: Docker.Container, match: (line: Record<string, unknown>) => boolean) {
  for (let i = 0; i < 50; i++) {
    const found = logLines(await readLogs(container)).find(match);
    if (found) return found;
    await sleep(200);
  }
  return undefined;
}

describe("readFaults", () => {
  it("parses, clamps and ignores garbage", () => {
    expect(
      readFaults({
        FAULT_HEALTH_FAIL: "1",
        FAULT_CRASH_ON_START: "true",
        FAULT_STARTUP_DELAY_MS: "250",
        FAULT_LATENCY_MS: "abc",
        FAULT_ERROR_RATE: "7",
        FAULT_MEMORY_GROWTH_MB_PER_S: "-3",
        FAULT_MEMORY_CAP_MB: "5000",
        FAULT_DB_ERRORS_PER_MIN: "20",
        FAULT_WRONG_VERSION: " 9.9.9 ",
        FAULT_START_AFTER_MS: "60000",
        FAULT_STOP_AFTER_MS: "x",
      }),
    ).toEqual({
      healthFail: true,
      crashOnStart: true,
      startupDelayMs: 250,
      latencyMs: 0,
      errorRate: 1,
      memoryGrowthMbPerS: 0,
      memoryCapMb: 2048,
      dbErrorsPerMin: 20,
      wrongVersion: "9.9.9",
      startAfterMs: 60_000,
      stopAfterMs: 0,
    });
    expect(readFaults({ FAULT_HEALTH_FAIL: "0", FAULT_WRONG_VERSION: "" })).toMatchObject({
      healthFail: false,
      wrongVersion: null,
    });
  });
});

describe("requestFaultsOn", () => {
  it("applies the request faults from FAULT_START_AFTER_MS until FAULT_STOP_AFTER_MS after start", () => {
    const window = { startAfterMs: 60_000, stopAfterMs: 90_000 };
    expect([0, 59_999, 60_000, 89_999, 90_000].map((t) => requestFaultsOn(window, t))).toEqual([
      false,
      false,
      true,
      true,
      false,
    ]);
    expect(requestFaultsOn({ startAfterMs: 0, stopAfterMs: 0 }, 0)).toBe(true);
    expect(requestFaultsOn({ startAfterMs: 5_000, stopAfterMs: 0 }, 86_400_000)).toBe(true);
  });
});

describe("fault knobs in a running container", () => {
  it("FAULT_HEALTH_FAIL answers 503 on health", async () => {
    await start(41011, { FAULT_HEALTH_FAIL: "1" });
    const res = await waitForAnswer(41011);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: "unhealthy", version: "1.9.0" });
  });

  it("FAULT_CRASH_ON_START makes the container exit with status 1", async () => {
    const container = await start(41012, { FAULT_CRASH_ON_START: "1" });
    const result = (await container.wait()) as { StatusCode: number };
    expect(result.StatusCode).toBe(1);
    expect(logLines(await readLogs(container)).some((l) => l.level === "error")).toBe(true);
  });

  it("FAULT_ERROR_RATE=1 answers 500 to every request but health, and logs errors", async () => {
    const container = await start(41013, { FAULT_ERROR_RATE: "1" });
    expect((await waitForAnswer(41013)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await request(41013, "GET", "/api/config")).status).toBe(500);
    expect((await request(41013, "POST", "/api/backtests", { strategy: "x" })).status).toBe(500);
    const error = await pollLogs(container, (l) => l.level === "error");
    expect(String(error?.msg)).toContain("request failed: GET /api/config");
  });

  it("FAULT_WRONG_VERSION reports another version on health", async () => {
    await start(41014, { FAULT_WRONG_VERSION: "9.9.9" });
    const res = await waitForAnswer(41014);
    expect(res).toMatchObject({ status: 200, body: { status: "healthy", version: "9.9.9" } });
  });

  it("FAULT_DB_ERRORS_PER_MIN writes database error lines", async () => {
    const container = await start(41015, { FAULT_DB_ERRORS_PER_MIN: "600" });
    await waitForAnswer(41015);
    const line = await pollLogs(container, (l) => String(l.msg).startsWith("database connection error"));
    expect(line).toMatchObject({ level: "error" });
    expect(String(line?.msg)).toContain("SQLITE_BUSY");
  });

  it("FAULT_MEMORY_GROWTH_MB_PER_S grows the container's memory", async () => {
    const container = await start(41016, { FAULT_MEMORY_GROWTH_MB_PER_S: "100" });
    await waitForAnswer(41016);
    let usage = 0;
    for (let i = 0; i < 30 && usage < 300 * 1024 * 1024; i++) {
      await sleep(500);
      const stats = (await container.stats({ stream: false })) as { memory_stats: { usage?: number } };
      usage = stats.memory_stats.usage ?? 0;
    }
    expect(usage).toBeGreaterThan(300 * 1024 * 1024);
  });

  it("FAULT_MEMORY_CAP_MB stops the growth once that much is retained", async () => {
    const container = await start(41018, { FAULT_MEMORY_GROWTH_MB_PER_S: "200", FAULT_MEMORY_CAP_MB: "120" });
    await waitForAnswer(41018);
    const usage = async () =>
      ((await container.stats({ stream: false })) as { memory_stats: { usage?: number } }).memory_stats.usage ?? 0;
    let reached = 0;
    for (let i = 0; i < 30 && reached < 120 * 1024 * 1024; i++) {
      await sleep(250);
      reached = await usage();
    }
    expect(reached).toBeGreaterThan(120 * 1024 * 1024);
    // Unbounded, 200 MB/s would add another ~400 MB in these two seconds.
    await sleep(2000);
    expect(await usage()).toBeLessThan(260 * 1024 * 1024);
  });

  it("FAULT_LATENCY_MS and FAULT_STARTUP_DELAY_MS still serve correct answers", async () => {
    await start(41017, { FAULT_LATENCY_MS: "50", FAULT_STARTUP_DELAY_MS: "300" });
    expect((await waitForAnswer(41017)).status).toBe(200);
    expect((await request(41017, "GET", "/api/config")).status).toBe(200);
  });
});
