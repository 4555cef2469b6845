// Scenario 32: two services behind one nginx, each with its own route, deployed at the same time; one is rolled back
// while the other keeps serving its new release. Real Docker, real nginx, real SQLite.
import fs from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceConfig, Slot } from "@/lib/config/schema";
import type { Deployment } from "@/lib/db/schema";
import { findContainers } from "@/lib/docker/containers";
import { startAccessLogCollector } from "@/lib/metrics/access-log-collector";
import { buildAttribution } from "@/lib/metrics/attribute-upstream";
import { MetricsRecorder } from "@/lib/metrics/recorder";
import { routeProbe } from "@/lib/nginx/route-probe";
import { upstreamFile } from "@/lib/nginx/switch-upstream";
import { openTempStack, type TempStack } from "@/scripts/stack/temp-stack";
import { rollbackDeployment } from "./rollback";
import { startDeployment } from "./start-deployment";
import { getDeployment } from "./store";

// Ports: nginx 46400; A's slots 46401/46402; B's 46403/46404.
const A = "gl-many-a";
const B = "gl-many-b";
const HOST = "a.gl-many.internal";
let fx: TempStack;
const figures: Record<string, number> = {};

const svc = (name: string): ServiceConfig => fx.services.find((s) => s.name === name)!;

type Reply = { status: number; version?: string; upstream?: string };

/** One request the way a user of the service makes it: through nginx, with the service's Host, prefix or port. */
/** The service's own route answers 200 with `version`, from `slot`. */
async function expectRoute(name: string, version: string, slot: "blue" | "green"): Promise<void> {
  expect(await viaRoute(name)).toMatchObject({
    status: 200,
    version,
    upstream: `127.0.0.1:${svc(name).slots[slot].port}`,
  });
}

function viaRoute(name: string): Promise<Reply> {
  const entry = routeProbe(fx.lbUrl, svc(name).route);
  return get(`${entry.baseUrl}/api/health`, entry.hostHeader);
}

/** A request to nginx's own port, with or without a Host. */
const viaLb = (pathname: string, host?: string) => get(`${fx.lbUrl}${pathname}`, host);

function get(url: string, host?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { connection: "close" };
    if (host) headers.host = host;
    const req = http.get(url, { headers, agent: false, timeout: 3000 }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d));
      res.on("end", () => {
        let version: string | undefined;
        try {
          version = (JSON.parse(text) as { version?: string }).version;
        } catch {
          version = undefined;
        }
        resolve({
          status: res.statusCode ?? 0,
          version,
          upstream: res.headers["x-greenlight-upstream"] as string | undefined,
        });
      });
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

async function deploy(name: string, image: string): Promise<Deployment> {
  const started = await startDeployment(fx.ctx, { service: name, image, autoPromote: true }, "test");
  if (started.noop) throw new Error(started.message);
  await started.pipeline;
  return getDeployment(fx.ctx.db, started.deploymentId);
}

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const result = await run();
  figures[label] = Math.round(performance.now() - t);
  return result;
}

const upstreamOf = (name: string) => fs.readFileSync(upstreamFile(fx.config.nginx.upstreamDir, name), "utf8");
const containersOf = async (name: string) =>
  (await findContainers({ service: name, all: true })).map((c) => `${c.name}:${c.id}:${c.running}`).sort();

beforeAll(async () => {
  fx = await openTempStack({
    name: A,
    basePort: 46400,
    healthDeadlineSeconds: 20,
    more: [{ service: B, bluePort: 46403, greenPort: 46404, route: { pathPrefix: "/b/" } }],
    adjust: (s) => {
      if (s.name === A) s.route = { host: HOST };
    },
  });
}, 180_000);

afterAll(async () => {
  console.log(`[many-services] ${JSON.stringify(figures)}`);
  await fx?.cleanup();
}, 120_000);

describe("two services behind one nginx", () => {
  let a2: Deployment;
  let b2: Deployment;

  it("installs both, each reached only through its own route", async () => {
    const a1 = await timed("first_install_a_ms", () => deploy(A, "privatetrade:1.9.0"));
    const b1 = await timed("first_install_b_ms", () => deploy(B, "privatetrade:1.9.0"));
    expect([a1.status, b1.status], `${a1.error} / ${b1.error}`).toEqual(["succeeded", "succeeded"]);
    await expectRoute(A, "1.9.0", "blue");
    await expectRoute(B, "1.9.0", "blue");
    // Neither route answers for the other: without A's Host and outside B's prefix nginx answers 404 itself, and
    // under A's Host, B's prefix is just a path of A.
    expect((await viaLb("/api/health")).status).toBe(404);
    expect((await viaLb("/api/health", "other.gl-many.internal")).status).toBe(404);
    expect(await viaLb("/b/api/health", HOST)).toMatchObject({
      status: 404,
      upstream: `127.0.0.1:${svc(A).slots.blue.port}`,
    });
  }, 180_000);

  it("deploys both at the same time; each switch is verified through its own route", async () => {
    [a2, b2] = await timed("concurrent_two_ms", () =>
      Promise.all([deploy(A, "privatetrade:2.0.0"), deploy(B, "privatetrade:2.0.0")]),
    );
    expect([a2.status, b2.status], `${a2.error} / ${b2.error}`).toEqual(["succeeded", "succeeded"]);
    await expectRoute(A, "2.0.0", "green");
    await expectRoute(B, "2.0.0", "green");
    const verifySummaries = fx.ctx.db.$client
      .prepare(
        "SELECT deployment_id AS id, summary FROM deployment_steps WHERE phase = 'verify' AND deployment_id IN (?, ?)",
      )
      .all(a2.id, b2.id) as Array<{ id: string; summary: string }>;
    expect(verifySummaries.map((s) => s.summary).sort()).toEqual([
      expect.stringMatching(/^nginx serves 2\.0\.0 from green/),
      expect.stringMatching(/^nginx serves 2\.0\.0 from green/),
    ]);
  }, 240_000);

  it("rolls A back while B keeps serving 2.0.0: B's upstream file, containers and traffic are untouched", async () => {
    const bFile = upstreamOf(B);
    const bContainers = await containersOf(B);
    let stop = false;
    const seenByB: string[] = [];
    const bTraffic = (async () => {
      while (!stop) {
        const r = await viaRoute(B).catch((e: Error) => ({ status: 0, version: e.message, upstream: undefined }));
        seenByB.push(`${r.status} ${r.version}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    })();
    const rolled = await timed("rollback_a_ms", () =>
      rollbackDeployment(fx.ctx, { deploymentId: a2.id, reason: "checkout errors on A since 2.0.0", by: "test" }),
    );
    stop = true;
    await bTraffic;
    expect(rolled.status).toBe("rolled_back");
    await expectRoute(A, "1.9.0", "blue");
    await expectRoute(B, "2.0.0", "green");
    expect(upstreamOf(B)).toBe(bFile);
    expect(await containersOf(B)).toEqual(bContainers);
    expect(seenByB.length).toBeGreaterThan(3);
    expect(new Set(seenByB)).toEqual(new Set(["200 2.0.0"]));
    expect(getDeployment(fx.ctx.db, b2.id).status).toBe("succeeded");
  }, 120_000);

  it("attributes every request in nginx's access log to its service and colour", async () => {
    const recorder = new MetricsRecorder();
    const live: Record<string, Slot> = { [A]: "blue", [B]: "green" };
    const collector = startAccessLogCollector({
      file: fx.config.nginx.accessLog!,
      attribute: buildAttribution(fx.config, () => live),
      recorder,
      from: "end",
      pollMs: 50,
    });
    try {
      await collector.tailer.poll();
      for (let i = 0; i < 30; i++) expect((await viaRoute(A)).status).toBe(200);
      for (let i = 0; i < 20; i++) expect((await viaRoute(B)).status).toBe(200);
      // A path no service owns: nginx answers 404 itself, attributed to no service.
      for (let i = 0; i < 5; i++) expect((await viaLb("/nothing")).status).toBe(404);
      await new Promise((r) => setTimeout(r, 300));
      await collector.tailer.poll();
    } finally {
      await collector.stop();
    }
    const counts: Record<string, number> = {};
    for (const r of recorder.drain())
      counts[`${r.service}/${r.slot}`] = (counts[`${r.service}/${r.slot}`] ?? 0) + r.requests;
    expect(counts).toEqual({ [`${A}/blue`]: 30, [`${B}/green`]: 20, "unknown/unknown": 5 });
  }, 60_000);

  it("one deployment alone and two at once do the same work (figures, with migrations already applied)", async () => {
    await rollbackDeployment(fx.ctx, { deploymentId: b2.id, reason: "back to 1.9.0 for the figures", by: "test" });
    const single = await timed("single_one_ms", () => deploy(A, "privatetrade:2.0.0"));
    expect(single.status, single.error ?? "").toBe("succeeded");
    expect(await viaRoute(B)).toMatchObject({ version: "1.9.0", upstream: `127.0.0.1:${svc(B).slots.blue.port}` });
    await rollbackDeployment(fx.ctx, { deploymentId: single.id, reason: "back to 1.9.0 for the figures", by: "test" });
    const both = await timed("concurrent_two_same_work_ms", () =>
      Promise.all([deploy(A, "privatetrade:2.0.0"), deploy(B, "privatetrade:2.0.0")]),
    );
    expect(both.map((d) => d.status)).toEqual(["succeeded", "succeeded"]);
    expect(await viaRoute(A)).toMatchObject({ version: "2.0.0", upstream: `127.0.0.1:${svc(A).slots.green.port}` });
    expect(await viaRoute(B)).toMatchObject({ version: "2.0.0", upstream: `127.0.0.1:${svc(B).slots.green.port}` });
  }, 240_000);
});
