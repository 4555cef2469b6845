import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema, type Config } from "@/lib/config/schema";
import { openDb, type Db } from "@/lib/db/client";
import { liveSlotsOf } from "@/lib/deploy/metrics-evaluator";
import { startCollectors, type Collectors } from "@/lib/metrics/start-collectors";
import { readWindowStats } from "@/lib/metrics/window-stats";
import { trafficDriver } from "./index";
import { parseHaproxyLogLine } from "./haproxy-log";
import { startHaproxyFixture, type HaproxyFixture } from "./haproxy-test-fixture";

// Ports 44540-44543: HAProxy, blue, green, and the UDP port HAProxy sends its request log to.
const LB = 44540;
const BLUE = 44541;
const GREEN = 44542;
const LOG = 44543;

let hx: HaproxyFixture;
let servers: http.Server[] = [];
let collectors: Collectors;
let db: Db;
let dir: string;
let config: Config;

/** Blue answers every request after 30 ms; green answers /fail with 500 and the rest with 200 at once. */
function backend(port: number, version: string, delayMs: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      res.writeHead(req.url === "/fail" && version === "2.0.0" ? 500 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify({ version }));
    }, delayMs);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

async function get(pathname: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${LB}${pathname}`, { signal: AbortSignal.timeout(3000) });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  servers = [await backend(BLUE, "1.9.0", 30), await backend(GREEN, "2.0.0", 0)];
  hx = await startHaproxyFixture({ port: LB, bluePort: BLUE, greenPort: GREEN, logPort: LOG });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-hxmetrics-"));
  db = openDb(path.join(dir, "greenlight.db"));
  config = configSchema.parse({
    nginx: { mainConfig: path.join(dir, "nginx.conf"), upstreamDir: path.join(dir, "up"), lbUrl: "http://127.0.0.1:1" },
    services: [
      {
        name: "hx-metrics",
        image: "hx-metrics",
        slots: { blue: { port: BLUE }, green: { port: GREEN } },
        traffic: hx.traffic,
      },
    ],
  });
  collectors = startCollectors({ db, config, getLiveSlots: liveSlotsOf(config), intervals: { flushMs: 100 } });
});
afterAll(async () => {
  await collectors?.stop();
  await hx?.stop();
  for (const s of servers) await new Promise((r) => s.close(r));
  db?.$client.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("per-colour metrics of a service behind HAProxy, from HAProxy's own request log", () => {
  it("parses only lines in Greenlight's format", () => {
    expect(parseHaproxyLogLine('{"ts":1796306654.487,"status":503,"ta_ms":2,"server":"-:-","backend":"app"}')).toEqual({
      ts: 1796306654.487,
      status: 503,
      ms: 2,
      server: "-:-",
      backend: "app",
    });
    expect(parseHaproxyLogLine("<134>Dec  3 14:00:00 haproxy[1]: 127.0.0.1:5000 [03/Dec/2026] fe app/blue")).toBeNull();
    expect(parseHaproxyLogLine('{"ts":"now","status":200,"ta_ms":1,"server":"a","backend":"b"}')).toBeNull();
  });

  it("counts blue's requests before the switch and green's after, with green's 5xx, into the watch's window", async () => {
    const started = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 10; i++) expect(await get("/api/health")).toBe(200);
    await trafficDriver(config, config.services[0]!).apply({ slot: "green", version: "2.0.0", deploymentId: "m1" });
    for (let i = 0; i < 3; i++) expect(await get("/fail")).toBe(500);
    for (let i = 0; i < 3; i++) expect(await get("/api/health")).toBe(200);

    const window = () => ({ service: "hx-metrics", windowSeconds: 60, now: Math.floor(Date.now() / 1000) + 1 });
    const deadline = Date.now() + 5000;
    while (readWindowStats(db, { ...window(), slot: "green" }).requests < 6 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const blue = readWindowStats(db, { ...window(), slot: "blue" });
    const green = readWindowStats(db, { ...window(), slot: "green" });
    expect({ requests: blue.requests, errors5xx: blue.errors5xx }).toEqual({ requests: 10, errors5xx: 0 });
    expect({ requests: green.requests, errors5xx: green.errors5xx }).toEqual({ requests: 6, errors5xx: 3 });
    // Blue took 30 ms per answer, green none: the latency is HAProxy's measure of each colour's own answers.
    expect(blue.p95Ms).toBeGreaterThanOrEqual(25);
    expect(green.p95Ms).toBeLessThan(25);
    expect(Math.floor(Date.now() / 1000) - started).toBeLessThan(30);
  });
});
