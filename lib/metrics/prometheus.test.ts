import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Set before anything opens the process database, so nothing can fall back to ./data.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-prom-"));
process.env.GREENLIGHT_DATA_DIR = dir;

const MiB = 1024 * 1024;
const NOW = 2_000_000;

describe("GET /api/metrics/prometheus handler", async () => {
  const { openDb } = await import("@/lib/db/client");
  const { deployments } = await import("@/lib/db/schema");
  const { parseConfig } = await import("@/lib/config/load");
  const { MetricsRecorder } = await import("./recorder");
  const { writeRollups } = await import("./rollup-store");
  const { prometheusResponse } = await import("./prometheus");

  const db = openDb(path.join(dir, "greenlight.db"), path.join(process.cwd(), "migrations"));
  const config = parseConfig(`
nginx: { mainConfig: /tmp/x/nginx.conf, upstreamDir: /tmp/x/up, lbUrl: "http://127.0.0.1:50010" }
services:
  - name: shop
    image: shop
    slots: { blue: { port: 50011 }, green: { port: 50012 } }
`);
  const src = { db, config, liveSlots: () => ({ shop: "green" as const }), now: NOW };
  const get = (headers: Record<string, string>, token?: string, source = src) =>
    prometheusResponse(new Request("http://127.0.0.1:50013/api/metrics/prometheus", { headers }), source, token);
  // The same service on a bridge network: no container shares Greenlight's loopback.
  const bridged = {
    ...src,
    config: parseConfig(`
nginx: { mainConfig: /tmp/x/nginx.conf, upstreamDir: /tmp/x/up, lbUrl: "http://127.0.0.1:50010" }
services:
  - name: shop
    image: shop
    slots: { blue: { port: 50011 }, green: { port: 50012 } }
    container: { network: { mode: bridge, name: prod, containerPort: 8080 } }
`),
  };
  const peer = "x-greenlight-peer";

  beforeAll(() => {
    const rec = new MetricsRecorder();
    for (let t = NOW - 20; t < NOW - 10; t++) {
      for (let k = 0; k < 3; k++) {
        const status = k === 0 && t === NOW - 15 ? 500 : k === 1 && t <= NOW - 18 ? 404 : 200;
        rec.request("shop", "green", t, status, 40);
      }
      rec.resources("shop", "green", t, 12.5, 150 * MiB);
    }
    rec.request("shop", "blue", NOW - 100, 200, 10); // outside the scrape window
    rec.request("shop", "green", NOW, 200, 10); // the second in progress is not counted yet
    writeRollups(db, rec.drain());
    const base = {
      image: "shop:x",
      toSlot: "green" as const,
      phase: "done" as const,
      requestedBy: "t",
      createdAt: 1,
      updatedAt: 1,
    };
    db.insert(deployments)
      .values([
        { ...base, id: "d1", service: "shop", version: "1", status: "succeeded" },
        { ...base, id: "d2", service: "shop", version: "2", status: "succeeded" },
        { ...base, id: "d3", service: "shop", version: "3", status: "rolled_back" },
      ])
      .run();
  });

  afterAll(() => {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("exposes each colour's figures over the last complete seconds from its own registry", async () => {
    const res = await get({ host: "127.0.0.1:50013", authorization: "Bearer s3cret-token" }, "s3cret-token");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const line = (name: string) => text.split("\n").find((l) => l.startsWith(name + " ") || l.startsWith(name + "{"));
    expect(line('greenlight_requests_per_second{service="shop",colour="green"}')).toBe(
      'greenlight_requests_per_second{service="shop",colour="green"} 1',
    );
    expect(text).toContain(`greenlight_error_rate_percent{service="shop",colour="green"} ${(1 / 30) * 100}`);
    // 30 requests over the 30 s scraped: one 500, three 404 (4xx counts as no error), 26 others.
    const byStatus = (c: string) =>
      `greenlight_requests_by_status_per_second{service="shop",colour="green",class="${c}"}`;
    expect(line(byStatus("5xx"))).toBe(`${byStatus("5xx")} ${1 / 30}`);
    expect(line(byStatus("4xx"))).toBe(`${byStatus("4xx")} 0.1`);
    expect(line(byStatus("below_400"))).toBe(`${byStatus("below_400")} ${26 / 30}`);
    expect(text).toMatch(/greenlight_p95_latency_ms\{service="shop",colour="green"\} 4\d(\.\d+)?\n/);
    expect(text).toContain('greenlight_cpu_percent{service="shop",colour="green"} 12.5');
    expect(text).toContain(`greenlight_memory_bytes{service="shop",colour="green"} ${150 * MiB}`);
    expect(text).toContain('greenlight_db_errors_per_minute{service="shop",colour="green"} 0');
    expect(text).toContain('greenlight_live_colour{service="shop",colour="green"} 1');
    expect(text).toContain('greenlight_live_colour{service="shop",colour="blue"} 0');
    expect(text).toContain('greenlight_deployments_total{service="shop",status="succeeded"} 2');
    expect(text).toContain('greenlight_deployments_total{service="shop",status="rolled_back"} 1');
    expect(text).not.toMatch(/requests_per_second\{service="shop",colour="blue"\}/);
    expect(text).not.toContain("process_cpu"); // prom-client's default metrics live in the global registry only
    expect(text).toContain("# TYPE greenlight_p95_latency_ms gauge");
  });

  it("wants the token whenever a service runs with host networking, even from loopback", async () => {
    const refused = get({ host: "127.0.0.1:3100", [peer]: "127.0.0.1" });
    await expect(refused).rejects.toMatchObject({ status: 403 });
    await expect(refused).rejects.toThrow(/host networking.*GREENLIGHT_METRICS_TOKEN/);
  });

  it("without host networking and without a token, answers clients whose TCP address is loopback, whatever the headers claim", async () => {
    await expect(
      get({ host: "greenlight.example.com", [peer]: "127.0.0.1" }, undefined, bridged),
    ).resolves.toHaveProperty("status", 200);
    await expect(get({ host: "127.0.0.1:3100", [peer]: "10.0.0.7" }, undefined, bridged)).rejects.toMatchObject({
      status: 403,
    });
    // Forged forwarding headers and Host from a non-proxy peer change nothing.
    await expect(
      get(
        { host: "localhost", "x-forwarded-for": "127.0.0.1", "x-real-ip": "127.0.0.1", [peer]: "10.0.0.7" },
        undefined,
        bridged,
      ),
    ).rejects.toMatchObject({ status: 403 });
    await expect(get({ host: "localhost" }, undefined, bridged)).rejects.toMatchObject({ status: 403 });
  });

  it("answers only the bearer token when one is set", async () => {
    await expect(get({ host: "127.0.0.1:3100" }, "s3cret-token")).rejects.toMatchObject({ status: 401 });
    await expect(get({ host: "127.0.0.1", authorization: "Bearer wrong" }, "s3cret-token")).rejects.toMatchObject({
      status: 401,
    });
    const ok = await get({ host: "metrics.example.com", authorization: "Bearer s3cret-token" }, "s3cret-token");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("greenlight_live_colour");
  });
});
