import Database from "better-sqlite3";
import type Docker from "dockerode";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrivatetradeImages } from "./build-images";
import { STOCK_SELECTION_MIGRATION } from "./paths";
import { initDb } from "./src/init-db";
import { logLines, readLogs, removeSuiteContainers, request, startApp, waitForAnswer } from "./test-support";

const SUITE = "pt-app";
const V1_PORT = 41001;
const V2_PORT = 41002;

let dir = "";
let dbFile = "";
let blue: Docker.Container;
let green: Docker.Container;

beforeAll(async () => {
  await buildPrivatetradeImages();
  await removeSuiteContainers(SUITE);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-a-privatetrade-"));
  dbFile = path.join(dir, "backtest.db");
  initDb(dbFile);
  blue = await startApp({ suite: SUITE, image: "privatetrade:1.9.0", port: V1_PORT, dbDir: dir });
  green = await startApp({ suite: SUITE, image: "privatetrade:2.0.0", port: V2_PORT, dbDir: dir });
  await waitForAnswer(V1_PORT);
  await waitForAnswer(V2_PORT);
});

afterAll(async () => {
  await removeSuiteContainers(SUITE);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function columns(): string[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare("PRAGMA table_info(config)").all() as Array<{ name: string }>).map((c) => c.name);
  } finally {
    db.close();
  }
}

describe("privatetrade before the migration", () => {
  it("v1.9.0 reports healthy with its version and uptime", async () => {
    const res = await request(V1_PORT, "GET", "/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "healthy", version: "1.9.0" });
    expect(typeof (res.body as { uptime: unknown }).uptime).toBe("number");
  });

  it("v1.9.0 lists the four config rows and records backtests", async () => {
    const config = await request(V1_PORT, "GET", "/api/config");
    expect(config.status).toBe(200);
    expect((config.body as { config: unknown[] }).config).toHaveLength(4);
    const created = await request(V1_PORT, "POST", "/api/backtests", { strategy: "sma-cross", symbol: "005930" });
    expect(created.status).toBe(201);
    const list = await request(V1_PORT, "GET", "/api/backtests");
    expect((list.body as { backtests: Array<{ strategy: string }> }).backtests[0]?.strategy).toBe("sma-cross");
    const bad = await request(V1_PORT, "POST", "/api/backtests", { strategy: 42 });
    expect(bad.status).toBe(400);
  });

  it("v1.9.0 does not serve the v2.0.0 endpoints", async () => {
    expect((await request(V1_PORT, "GET", "/api/stocks/specific")).status).toBe(404);
  });

  it("v2.0.0 health fails with the missing columns as reason", async () => {
    const res = await request(V2_PORT, "GET", "/api/health");
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: "unhealthy", version: "2.0.0" });
    expect((res.body as { reason: string }).reason).toContain("stock_mode, selected_specific_stocks");
    expect((await request(V2_PORT, "GET", "/api/stocks/specific")).status).toBe(503);
  });

  it("logs start and database lines as JSON", async () => {
    const lines = logLines(await readLogs(green));
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining([`Application started on port ${V2_PORT}`, "Database connected: /data/backtest.db"]),
    );
    expect(lines.every((l) => typeof l.level === "string")).toBe(true);
  });
});

describe("privatetrade after migration 001", () => {
  beforeAll(() => {
    const db = new Database(dbFile);
    try {
      db.transaction(() => db.exec(fs.readFileSync(STOCK_SELECTION_MIGRATION, "utf8")))();
    } finally {
      db.close();
    }
  });

  it("adds the two columns and keeps the rows", () => {
    expect(columns()).toEqual([
      "id",
      "name",
      "value",
      "created_at",
      "updated_at",
      "stock_mode",
      "selected_specific_stocks",
    ]);
  });

  it("v2.0.0 becomes healthy", async () => {
    const res = await request(V2_PORT, "GET", "/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "healthy", version: "2.0.0" });
  });

  it("v2.0.0 passes the four smoke requests", async () => {
    const mode = await request(V2_PORT, "POST", "/api/stocks/mode", { mode: "specific" });
    expect(mode).toEqual({ status: 200, body: { mode: "specific", stocks: [] } });
    const add = await request(V2_PORT, "POST", "/api/stocks/specific/add", { code: "005930" });
    expect(add).toEqual({ status: 200, body: { mode: "specific", stocks: ["005930"] } });
    const list = await request(V2_PORT, "GET", "/api/stocks/specific");
    expect(list).toEqual({ status: 200, body: { mode: "specific", stocks: ["005930"] } });
    expect((await request(V2_PORT, "DELETE", "/api/stocks/specific/005930")).status).toBe(200);
    expect((await request(V2_PORT, "DELETE", "/api/stocks/specific/005930")).status).toBe(404);
  });

  it("v2.0.0 rejects bad input with 400", async () => {
    expect((await request(V2_PORT, "POST", "/api/stocks/mode", { mode: "some" })).status).toBe(400);
    expect((await request(V2_PORT, "POST", "/api/stocks/specific/add", { code: "12" })).status).toBe(400);
  });

  it("v1.9.0 keeps working on the migrated database", async () => {
    const health = await request(V1_PORT, "GET", "/api/health");
    expect(health).toMatchObject({ status: 200, body: { status: "healthy", version: "1.9.0" } });
    const config = await request(V1_PORT, "GET", "/api/config");
    expect((config.body as { config: unknown[] }).config).toHaveLength(4);
    expect((await request(V1_PORT, "POST", "/api/backtests", { strategy: "momentum" })).status).toBe(201);
  });

  it("stops on SIGTERM by exiting on its own, not by being killed", async () => {
    await blue.stop({ t: 10 });
    const state = (await blue.inspect()).State;
    expect(state.Running).toBe(false);
    expect(state.ExitCode).toBe(0);
    const lines = logLines(await readLogs(blue));
    expect(lines.map((l) => l.msg)).toContain("received SIGTERM, draining");
  });
});
