import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Route } from "@/lib/config/schema";
import { configSchema } from "@/lib/config/schema";
import { buildAttribution } from "@/lib/metrics/attribute-upstream";
import { parseAccessLine } from "@/lib/metrics/parse-access-line";
import { startNginx, stopNginx } from "./nginx-ctl";
import { startBackend, type Backend } from "./nginx-test-fixture";
import { renderMainConfig } from "./render-main-config";
import { routeProbe } from "./route-probe";
import { switchUpstream, writeUpstreamFile } from "./switch-upstream";
import { verifyThroughNginx } from "./verify-live";

// Ports: nginx 42400 (+ 42401 for the listen-port route); backends from 42402.
const LB = 42400;
const SERVICES: Array<{ name: string; route?: Route; blue: number; green: number }> = [
  { name: "gltest-r-main", blue: 42402, green: 42403 },
  { name: "gltest-r-prefix", route: { pathPrefix: "/reports/" }, blue: 42404, green: 42405 },
  { name: "gltest-r-host", route: { host: "admin.gltest.internal" }, blue: 42406, green: 42407 },
  { name: "gltest-r-port", route: { listenPort: LB + 1 }, blue: 42408, green: 42409 },
];

let dir: string;
let nginx: { binary: string; mainConfig: string; upstreamDir: string; lbUrl: string };
const backends: Backend[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-r-nginx-"));
  const upstreamDir = path.join(dir, "upstreams");
  nginx = { binary: "nginx", mainConfig: path.join(dir, "nginx.conf"), upstreamDir, lbUrl: `http://127.0.0.1:${LB}` };
  fs.writeFileSync(
    nginx.mainConfig,
    renderMainConfig({
      prefix: dir,
      listen: { host: "127.0.0.1", port: LB },
      upstreamDir,
      accessLog: path.join(dir, "access.log"),
      errorLog: path.join(dir, "error.log"),
      services: SERVICES.map(({ name, route }) => ({ name, route })),
      workerProcesses: 1,
    }),
  );
  for (const [i, s] of SERVICES.entries()) {
    backends.push(await startBackend(s.blue, `1.${i}.0`), await startBackend(s.green, `2.${i}.0`));
    writeUpstreamFile({ upstreamDir, service: s.name, slot: "blue", port: s.blue });
  }
  await startNginx(nginx);
});

afterAll(async () => {
  if (nginx) await stopNginx(nginx, { timeoutMs: 5000 });
  for (const b of backends) await b.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const verify = (route: Route | undefined, version: string, port: number) => {
  const entry = routeProbe(nginx.lbUrl, route);
  return verifyThroughNginx({
    lbUrl: entry.baseUrl,
    hostHeader: entry.hostHeader,
    healthPath: "/api/health",
    versionField: "version",
    expectedVersion: version,
    expectedPort: port,
    deadlineMs: 1500,
    intervalMs: 20,
  });
};

describe("many services behind one nginx", () => {
  it("reaches each service through its own route, and no route answers for another service", async () => {
    for (const [i, s] of SERVICES.entries()) {
      const ok = await verify(s.route, `1.${i}.0`, s.blue);
      expect(ok, `${s.name}: ${JSON.stringify(ok)}`).toMatchObject({ ok: true, lastUpstream: `127.0.0.1:${s.blue}` });
    }
    // A Host nginx does not know, and a path under no prefix, land on the default service, never on another one.
    const unknownHost = await verifyThroughNginx({
      lbUrl: nginx.lbUrl,
      hostHeader: "other.gltest.internal",
      healthPath: "/api/health",
      versionField: "version",
      expectedVersion: "1.2.0",
      deadlineMs: 300,
      intervalMs: 20,
    });
    expect(unknownHost).toMatchObject({
      ok: false,
      lastVersion: "1.0.0",
      lastUpstream: `127.0.0.1:${SERVICES[0]!.blue}`,
    });
    const echoed = await fetch(`${nginx.lbUrl}/reports/api/health`).then((r) => r.json());
    expect(echoed).toEqual({ version: "1.1.0", port: SERVICES[1]!.blue, path: "/api/health" });
  });

  it("switches one service without moving another, each verified through its own route", async () => {
    const [main, prefix, host, port] = SERVICES as [
      (typeof SERVICES)[0],
      (typeof SERVICES)[0],
      (typeof SERVICES)[0],
      (typeof SERVICES)[0],
    ];
    await Promise.all(
      [host, port].map((s) =>
        switchUpstream({ nginx, service: s.name, slot: "green", port: s.green, version: "2.0.0" }),
      ),
    );
    expect(await verify(host.route, "2.2.0", host.green)).toMatchObject({ ok: true });
    expect(await verify(port.route, "2.3.0", port.green)).toMatchObject({ ok: true });
    expect(await verify(main.route, "1.0.0", main.blue)).toMatchObject({ ok: true });
    expect(await verify(prefix.route, "1.1.0", prefix.blue)).toMatchObject({ ok: true });
  });

  it("logs the upstream's name, so every request is attributed to its service and colour", async () => {
    const config = configSchema.parse({
      nginx: { mainConfig: nginx.mainConfig, upstreamDir: nginx.upstreamDir, lbUrl: nginx.lbUrl },
      services: SERVICES.map((s) => ({
        name: s.name,
        image: "x",
        route: s.route,
        slots: { blue: { port: s.blue }, green: { port: s.green } },
      })),
    });
    const attribute = buildAttribution(config, () => ({}));
    // Give nginx a moment to write its buffered log lines.
    await new Promise((r) => setTimeout(r, 200));
    const seen = new Map<string, Set<string>>();
    for (const line of fs.readFileSync(path.join(dir, "access.log"), "utf8").split("\n")) {
      const rec = parseAccessLine(line);
      if (!rec) continue;
      const { service, slot } = attribute(rec.upstreamAddr, rec.upstream);
      if (!seen.has(service)) seen.set(service, new Set());
      seen.get(service)!.add(`${rec.upstream}@${slot}`);
    }
    expect(Object.fromEntries([...seen].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      "gltest-r-main": ["greenlight_gltest_r_main@blue"],
      "gltest-r-prefix": ["greenlight_gltest_r_prefix@blue"],
      "gltest-r-host": ["greenlight_gltest_r_host@blue", "greenlight_gltest_r_host@green"],
      "gltest-r-port": ["greenlight_gltest_r_port@blue", "greenlight_gltest_r_port@green"],
    });
  });
});
