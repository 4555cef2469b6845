import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Dockerode from "dockerode";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb, type Db } from "@/lib/db/client";
import { configSchema, type Config } from "@/lib/config/schema";
import { getDocker } from "@/lib/docker/client";
import { startCollectors } from "./start-collectors";
import { collectorStatus, resetCollectorStatus } from "./collector-status";
import { readRollups } from "./rollup-store";
import { mergeAll } from "./summarize";
import { windowSampler } from "./window-stats";
import { TriggerWatcher } from "./trigger-watcher";

const SUFFIX = Math.random().toString(36).slice(2, 8);
const SERVICE = `gltest-e-svc-${SUFFIX}`;
const NAME = `gltest-e-metrics-${SUFFIX}`;
const PORT = 44010;
const docker = getDocker();
let dir: string;
let db: Db;

const APP = `
const http = require("http");
const hold = Buffer.alloc(24 * 1024 * 1024, 1);
http.createServer((req, res) => {
  const n = Number(new URL(req.url, "http://x").searchParams.get("n") || 0);
  for (let i = 0; i < n; i++) { console.error("query failed: SQLITE_BUSY: database is locked"); console.log("GET /api/stocks 200"); }
  res.end(String(hold.length));
}).listen(${PORT}, "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
`;

function config(extra: Partial<Config["nginx"]> = {}): Config {
  return configSchema.parse({
    nginx: { mainConfig: "/x", upstreamDir: "/y", lbUrl: "http://127.0.0.1:1", ...extra },
    services: [{ name: SERVICE, image: "privatetrade", slots: { blue: { port: PORT + 1 }, green: { port: PORT } } }],
  });
}

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-e-collect-"));
  const migrations = path.join(dir, "migrations");
  fs.mkdirSync(migrations);
  for (const file of ["0003_metrics.sql", "0015_status_classes.sql"])
    fs.copyFileSync(path.join(process.cwd(), "migrations", file), path.join(migrations, file));
  db = openDb(path.join(dir, "greenlight.db"), migrations);
  const container = await docker.createContainer({
    name: NAME,
    Image: "privatetrade:2.0.0",
    Entrypoint: ["/usr/bin/node", "-e", APP],
    Labels: { "greenlight.service": SERVICE, "greenlight.slot": "green" },
    HostConfig: { NetworkMode: "host", Init: true },
  });
  await container.start();
  await until("the test app", () =>
    fetch(`http://127.0.0.1:${PORT}/`).then(
      () => true,
      () => false,
    ),
  );
});

afterAll(async () => {
  await docker
    .getContainer(NAME)
    .remove({ force: true })
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode !== 404) throw e;
    });
  db?.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("Docker collectors", () => {
  it("samples memory and CPU per colour and counts DB connection errors from the container's logs", async () => {
    resetCollectorStatus();
    const c = startCollectors({
      db,
      config: config(),
      getLiveSlots: () => ({}),
      intervals: { dockerMs: 300, flushMs: 200 },
    });
    try {
      await until(
        "log follow",
        () => collectorStatus().dbErrors.state === "ok" && collectorStatus().dockerStats.items > 0,
      );
      const res = await fetch(`http://127.0.0.1:${PORT}/?n=7`);
      expect(await res.text()).toBe(String(24 * 1024 * 1024));
      const from = Math.floor(Date.now() / 1000) - 120;
      const rows = () => readRollups(db, { service: SERVICE, from, to: from + 600 });
      await until("7 DB errors", () => mergeAll(rows()).dbErrors >= 7);
      await new Promise((r) => setTimeout(r, 700));
      const total = mergeAll(rows());
      expect(total.dbErrors).toBe(7);
      expect(rows().every((r) => r.slot === "green")).toBe(true);
      expect(total.samples).toBeGreaterThan(0);
      const memMb = total.memBytesMax! / 1024 / 1024;
      expect(memMb).toBeGreaterThan(24);
      expect(memMb).toBeLessThan(300);
      expect(total.cpuPctSum).toBeGreaterThanOrEqual(0);

      const watcher = new TriggerWatcher({
        thresholds: { ...config().services[0]!.thresholds, dbErrorsPerMinute: 0.5 },
        sample: windowSampler({ db, service: SERVICE, slot: "green", windowSeconds: 60 }),
        onBreach: () => undefined,
      });
      // A watcher ticks again and again; on a loaded machine one tick may land while a collector is retrying.
      const state = await until(
        "a breach verdict",
        async () => {
          const s = await watcher.tick();
          return s.last?.verdict === "breach" ? s : false;
        },
        10_000,
      );
      expect(state.last?.verdict).toBe("breach");
      expect(state.last?.reasons.map((r) => r.metric)).toEqual(["database_connection_errors"]);
    } finally {
      await c.stop();
    }
  });

  it("surfaces repeated collector failures as an error state, and the watcher stops with an error", async () => {
    resetCollectorStatus();
    const c = startCollectors({
      db,
      config: config({ accessLog: path.join(dir, "missing", "access.log") }),
      getLiveSlots: () => ({}),
      docker: new Dockerode({ socketPath: path.join(dir, "no-docker.sock") }),
      intervals: { dockerMs: 100, tailMs: 50 },
    });
    try {
      await until(
        "error states",
        () => collectorStatus().dockerStats.state === "error" && collectorStatus().accessLog.state === "error",
      );
      expect(collectorStatus().accessLog.lastError).toContain("ENOENT");
      const errors: string[] = [];
      const watcher = new TriggerWatcher({
        thresholds: config().services[0]!.thresholds,
        sample: windowSampler({ db, service: SERVICE, slot: "green", windowSeconds: 30 }),
        onBreach: () => undefined,
        onError: (m) => void errors.push(m),
      });
      for (let i = 0; i < 3; i++) await watcher.tick();
      expect(watcher.outcome()).toBe("error");
      expect(errors).toHaveLength(1);
    } finally {
      await c.stop();
    }
  });
});
