import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { configSchema, type Slot } from "@/lib/config/schema";
import { buildAttribution } from "./attribute-upstream";
import { startAccessLogCollector } from "./access-log-collector";
import { MetricsRecorder } from "./recorder";
import { mergeAll } from "./summarize";
import { percentile } from "./histogram";
import { collectorStatus, resetCollectorStatus } from "./collector-status";

const run = promisify(execFile);
const LB = 44000;
const PORTS: Record<Slot, number> = { blue: 44001, green: 44002 };
const LOG_FORMAT =
  `'{"time":"$time_iso8601","ts":$msec,"status":$status,"request_time":$request_time,"upstream_addr":"$upstream_addr",` +
  `"upstream_status":"$upstream_status","method":"$request_method","uri":"$uri","bytes":$body_bytes_sent}'`;

let prefix: string;
let servers: http.Server[] = [];
let live: Slot = "blue";

function nginxConf(): string {
  return `worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 256; }
http {
  client_body_temp_path ${prefix}/tmp/body; proxy_temp_path ${prefix}/tmp/proxy; fastcgi_temp_path ${prefix}/tmp/fcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi; scgi_temp_path ${prefix}/tmp/scgi;
  log_format greenlight_json escape=json ${LOG_FORMAT};
  access_log ${prefix}/logs/access.log greenlight_json;
  include ${prefix}/upstream/*.conf;
  server {
    listen 127.0.0.1:${LB};
    location = /maintenance { return 503; }
    location / { proxy_pass http://greenlight_shop; }
  }
}
`;
}

const nginx = (...args: string[]) => run("nginx", ["-p", prefix, "-c", `${prefix}/nginx.conf`, ...args]);

function writeUpstream(slot: Slot): void {
  const file = `${prefix}/upstream/shop.conf`;
  fs.writeFileSync(`${file}.tmp`, `upstream greenlight_shop { server 127.0.0.1:${PORTS[slot]}; }\n`);
  fs.renameSync(`${file}.tmp`, file);
}

function get(pathname: string): Promise<{ status: number; slot: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port: LB, path: pathname, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, slot: res.headers["x-slot"] as string | undefined }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

beforeAll(async () => {
  prefix = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-e-nginx-"));
  for (const d of ["logs", "upstream", "tmp"]) fs.mkdirSync(path.join(prefix, d));
  fs.writeFileSync(`${prefix}/nginx.conf`, nginxConf());
  for (const slot of ["blue", "green"] as const) {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      const delay = Number(url.searchParams.get("d") ?? 0);
      const status = Number(url.searchParams.get("s") ?? 200);
      setTimeout(() => res.writeHead(status, { "x-slot": slot }).end(slot), delay);
    });
    await new Promise<void>((r) => server.listen(PORTS[slot], "127.0.0.1", r));
    servers.push(server);
  }
  writeUpstream("blue");
  await nginx("-t");
  await nginx();
});

afterAll(async () => {
  try {
    await nginx("-s", "stop");
  } catch {
    const pid = Number(fs.readFileSync(`${prefix}/nginx.pid`, "utf8"));
    if (pid > 0) process.kill(pid, "SIGKILL");
  }
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  fs.rmSync(prefix, { recursive: true, force: true });
});

describe("nginx access log ingestion", () => {
  it("counts every request exactly once with its colour across a reload and a log rotation", async () => {
    resetCollectorStatus();
    const config = configSchema.parse({
      nginx: { mainConfig: `${prefix}/nginx.conf`, upstreamDir: `${prefix}/upstream`, lbUrl: `http://127.0.0.1:${LB}` },
      services: [{ name: "shop", image: "shop", slots: { blue: { port: PORTS.blue }, green: { port: PORTS.green } } }],
    });
    const recorder = new MetricsRecorder();
    const collector = startAccessLogCollector({
      file: `${prefix}/logs/access.log`,
      attribute: buildAttribution(config, () => ({ shop: live })),
      recorder,
      pollMs: 50,
    });
    const rollups: ReturnType<MetricsRecorder["drain"]> = [];
    try {
      await collector.tailer.poll();
      const answered: Record<string, number> = { blue: 0, green: 0 };
      let failures = 0;
      let i = 0;
      const batch = async (n: number, extra = "") => {
        const jobs = Array.from({ length: n }, () => {
          const k = i++;
          const d = (k * 37) % 120; // 0..119 ms, spread deterministically
          const s = k % 25 === 0 ? 500 : 200;
          return get(`/api/item/${k}?d=${d}&s=${s}${extra}`);
        });
        for (let j = 0; j < jobs.length; j += 10) {
          for (const r of await Promise.all(jobs.slice(j, j + 10))) {
            if (r.slot) answered[r.slot]!++;
            if (r.status >= 500) failures++;
          }
        }
      };
      await batch(80);
      writeUpstream("green");
      const inFlight = batch(40);
      await nginx("-s", "reload");
      live = "green";
      await inFlight;
      await batch(30);
      fs.renameSync(`${prefix}/logs/access.log`, `${prefix}/logs/access.log.1`);
      await nginx("-s", "reopen");
      await batch(50);
      const maintenance = await Promise.all([get("/maintenance"), get("/maintenance")]);
      expect(maintenance.map((m) => m.status)).toEqual([503, 503]);

      const truth = ["access.log.1", "access.log"]
        .flatMap((f) => fs.readFileSync(`${prefix}/logs/${f}`, "utf8").split("\n"))
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { status: number; request_time: number; upstream_addr: string });
      expect(truth).toHaveLength(202);

      for (let w = 0; w < 200; w++) {
        rollups.push(...recorder.drain());
        if (mergeAll(rollups).requests >= 202) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await collector.tailer.poll();
      rollups.push(...recorder.drain());

      const bySlot = (slot: string) => mergeAll(rollups.filter((r) => r.service === "shop" && r.slot === slot));
      const blue = bySlot("blue");
      const green = bySlot("green");
      expect(blue.requests).toBe(answered.blue);
      expect(green.requests).toBe(answered.green! + 2);
      expect(blue.requests + green.requests).toBe(202);
      expect(blue.errors5xx + green.errors5xx).toBe(failures + 2);
      expect(rollups.filter((r) => r.service !== "shop")).toEqual([]);

      const exactAll = truth.map((t) => t.request_time * 1000).sort((a, b) => a - b);
      const exactP95 = exactAll[Math.ceil(0.95 * exactAll.length) - 1]!;
      const p95 = percentile(mergeAll(rollups).hist, 0.95)!;
      expect(Math.abs(p95 - exactP95) / exactP95).toBeLessThanOrEqual(0.02);
      const sumMs = truth.reduce((n, t) => n + t.request_time * 1000, 0);
      expect(mergeAll(rollups).latencySumMs).toBeCloseTo(sumMs, 6);
      console.log(
        `nginx ingest: p95 ${p95.toFixed(2)} ms vs exact ${exactP95} ms (${((100 * (p95 - exactP95)) / exactP95).toFixed(2)}%)`,
      );
      expect(collector.rejected()).toBe(0);
      expect(collectorStatus().accessLog.state).toBe("ok");
    } finally {
      await collector.stop();
    }
  });

  it("puts the app's 404s and 503s and nginx's own 503 in their status classes, on the colour that answered", async () => {
    // nginx still sends to the colour the test before switched to.
    const serving = live;
    // Follow the file nginx writes to now (the test before rotated the log), from its end.
    const sizes = () =>
      ["access.log", "access.log.1"].map((f) =>
        fs.existsSync(`${prefix}/logs/${f}`) ? fs.statSync(`${prefix}/logs/${f}`).size : 0,
      );
    const before = sizes();
    await get("/probe");
    await new Promise((r) => setTimeout(r, 100));
    const file = sizes()[0]! > before[0]! ? "access.log" : "access.log.1";
    const config = configSchema.parse({
      nginx: { mainConfig: `${prefix}/nginx.conf`, upstreamDir: `${prefix}/upstream`, lbUrl: `http://127.0.0.1:${LB}` },
      services: [{ name: "shop", image: "shop", slots: { blue: { port: PORTS.blue }, green: { port: PORTS.green } } }],
    });
    const recorder = new MetricsRecorder();
    const collector = startAccessLogCollector({
      file: `${prefix}/logs/${file}`,
      attribute: buildAttribution(config, () => ({ shop: live })),
      recorder,
      pollMs: 50,
    });
    const rollups: ReturnType<MetricsRecorder["drain"]> = [];
    try {
      await collector.tailer.poll();
      // 4 × 200 and a 302 (below 400), 3 × 404 and a 429 (4xx), 2 × 503 from the app and one from nginx (5xx).
      const statuses = [200, 200, 200, 200, 302, 404, 404, 404, 429, 503, 503];
      const answers = await Promise.all(statuses.map((s, k) => get(`/missing/${k}?s=${s}`)));
      expect(answers.map((a) => [a.status, a.slot])).toEqual(statuses.map((s) => [s, serving]));
      expect((await get("/maintenance")).status).toBe(503);
      for (let w = 0; w < 200; w++) {
        rollups.push(...recorder.drain());
        if (mergeAll(rollups).requests >= 12) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await collector.tailer.poll();
      rollups.push(...recorder.drain());
      const own = mergeAll(rollups.filter((r) => r.slot === serving));
      expect(rollups.filter((r) => r.slot !== serving)).toEqual([]);
      expect({ requests: own.requests, errors4xx: own.errors4xx, errors5xx: own.errors5xx }).toEqual({
        requests: 12,
        errors4xx: 4,
        errors5xx: 3,
      });
      expect(collector.rejected()).toBe(0);
    } finally {
      await collector.stop();
    }
  });
});
