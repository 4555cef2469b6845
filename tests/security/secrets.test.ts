// Scenario 29: a service with a secret env value and a Slack webhook, deployed once successfully and once into a
// failure, with notifications failing and then delivered; the secrets must appear nowhere Greenlight writes or serves.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findContainers } from "@/lib/docker/containers";
import { getDocker } from "@/lib/docker/client";
import { builtActions, builtRoutes, fillPattern, pageUrl } from "./support/build-surface";
import { BUILD_DIR, startConsole, type ConsoleServer } from "./support/console-server";
import { startViaApi, waitForStatus } from "./support/deployments";
import { callAction, rawRequest } from "./support/requests";

const SERVICE = "glsec-secrets";
const ENV_SECRET = "s3cr3t-env-value";
const HOOK_SECRET = "s3cr3t-hook-path";
const HOOK_PORT = 53050;
const HOOK_URL = `http://127.0.0.1:${HOOK_PORT}/hooks/${HOOK_SECRET}`;
const ROUTING_KEY = "s3cr3t-routing-key";
const METRICS_TOKEN = "glsec-metrics-scrape-token";
// Grows with the API token and the admin's session token once they exist.
const SECRETS = [ENV_SECRET, HOOK_SECRET, ROUTING_KEY];

let srv: ConsoleServer;
let hook: http.Server;
const received: string[] = [];
const deploymentIds: string[] = [];
const actionReplies: string[] = [];
let apiToken = "";
const tokenReplies: number[] = [];

/** Fails its first three deliveries (so the retry and error paths run), then accepts. */
function startHook(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      received.push(body);
      res
        .writeHead(received.length <= 3 ? 500 : 200, { "content-type": "text/plain" })
        .end(received.length <= 3 ? "upstream trouble" : "ok");
    });
  });
  return new Promise((resolve) => server.listen(HOOK_PORT, "127.0.0.1", () => resolve(server)));
}

function leaks(where: string, text: string): string[] {
  return SECRETS.filter((s) => text.includes(s)).map((s) => `${where} contains ${s}`);
}

beforeAll(async () => {
  hook = await startHook();
  srv = await startConsole({
    stackPort: 53020,
    port: 53001,
    name: SERVICE,
    // Services here use host networking: the Prometheus text needs its token.
    env: { GREENLIGHT_METRICS_TOKEN: METRICS_TOKEN },
    adjust: (svc) => {
      svc.container.env.API_KEY = { value: ENV_SECRET, secret: true };
      svc.notifications = [
        { type: "slack", webhookUrl: HOOK_URL },
        // Nothing listens there: delivery fails with a connection error.
        {
          type: "slack",
          name: "slack-down",
          webhookUrl: `http://127.0.0.1:${HOOK_PORT + 1}/hooks/${HOOK_SECRET}-down`,
        },
        { type: "pagerduty", routingKey: ROUTING_KEY, eventsUrl: `http://127.0.0.1:${HOOK_PORT}/pagerduty` },
      ];
      svc.health.deadlineSeconds = 6;
    },
  });
  const rm = srv.cookies.rm!;
  // A release that never reports the version it was deployed as: health fails, the error path runs.
  const failing = await startViaApi(srv.url, rm, SERVICE, {
    image: "privatetrade:2.0.0",
    version: "9.9.9",
    autoPromote: true,
  });
  deploymentIds.push(failing);
  await waitForStatus(srv.url, rm, failing, ["failed"]);
  const good = await startViaApi(srv.url, rm, SERVICE, { image: "privatetrade:2.0.0", autoPromote: true });
  deploymentIds.push(good);
  await waitForStatus(srv.url, rm, good, ["succeeded"]);
  const sendTest = builtActions().find((a) => a.exportedName === "sendTestNotificationAction")!;
  for (const channel of ["slack", "slack-down", "pagerduty"]) {
    const reply = await callAction(srv.url, "/settings", sendTest.id, {
      cookie: srv.cookies.admin!,
      body: JSON.stringify([{ service: SERVICE, channel }]),
    });
    actionReplies.push(reply.text);
  }
  // An API token, shown once, then used for a read and a refused write, and once mistyped.
  const createToken = builtActions().find((a) => a.exportedName === "createApiTokenAction")!;
  const created = await callAction(srv.url, "/settings", createToken.id, {
    cookie: srv.cookies.admin!,
    body: JSON.stringify([{ name: "ci", role: "viewer", services: [SERVICE], expiresInDays: 1 }]),
  });
  apiToken = String((created.result as { data?: { token?: string } } | null)?.data?.token ?? "");
  if (!apiToken.startsWith("glt_")) throw new Error(`no API token in ${created.text.slice(0, 300)}`);
  SECRETS.push(apiToken, srv.cookies.admin!.split("=")[1]!);
  tokenReplies.push(
    (await fetch(`${srv.url}/api/v1/services`, { headers: { authorization: `Bearer ${apiToken}` } })).status,
  );
  tokenReplies.push(
    (
      await fetch(`${srv.url}/api/v1/deployments/${failing}/promote`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiToken}` },
      })
    ).status,
  );
  tokenReplies.push(
    (await fetch(`${srv.url}/api/v1/services`, { headers: { authorization: `Bearer ${apiToken}x` } })).status,
  );
  // Let the outbox deliver after the failures (bounded).
  for (let i = 0; i < 120 && received.length < 5; i++) await new Promise((r) => setTimeout(r, 500));
}, 20 * 60_000);

afterAll(async () => {
  await srv?.stop();
  await new Promise((r) => (hook ? hook.close(r) : r(null)));
}, 120_000);

describe("secrets stay secret (scenario 29)", () => {
  it("ran the paths that could leak: a failed and a succeeded deployment, failed and delivered notifications", () => {
    expect(deploymentIds).toHaveLength(2);
    expect(received.length).toBeGreaterThanOrEqual(4);
    // The messages name no env secret (PagerDuty's own routing key travels in its body, as its API wants).
    expect(received.filter((b) => b.includes(ENV_SECRET) || b.includes(HOOK_SECRET))).toEqual([]);
    expect(received.some((b) => b.includes(ROUTING_KEY))).toBe(true);
  });

  it("include a working API token and the admin's session token", () => {
    expect(tokenReplies).toEqual([200, 403, 401]);
    expect(SECRETS).toHaveLength(5);
  });

  it("are in no answer of the Send test action, delivered or failed", () => {
    expect(actionReplies).toHaveLength(3);
    expect(actionReplies.filter((t) => /"data":\{"ok":true\}/.test(t))).toHaveLength(2);
    // The failure names the host it could not reach, not the URL's secret path.
    expect(actionReplies[1]).toMatch(/"ok":false,"error":"[^"]*127\.0\.0\.1:53051/);
    expect(actionReplies.flatMap((t, i) => leaks(`send-test reply ${i}`, t))).toEqual([]);
  });

  it("did reach the container (so their absence elsewhere means something)", async () => {
    const running = (await findContainers({ service: SERVICE })).filter((c) => c.running);
    expect(running.length).toBeGreaterThan(0);
    const env = (await getDocker().getContainer(running[0]!.id).inspect()).Config.Env;
    expect(env).toContain(`API_KEY=${ENV_SECRET}`);
  });

  it("are in no table of Greenlight's database", () => {
    const db = new Database(path.join(srv.fx.dataDir, "greenlight.db"), { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(["audit_log", "deployments", "deployment_events", "notification_outbox"]),
      );
      const found: string[] = [];
      let rows = 0;
      for (const { name } of tables)
        for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>) {
          rows++;
          found.push(
            ...leaks(
              `table ${name}`,
              JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString("latin1") : v)),
            ),
          );
        }
      expect(rows).toBeGreaterThan(20);
      expect(found).toEqual([]);
    } finally {
      db.close();
    }
  });

  it("are in none of the server's output", () => {
    expect(srv.output().length).toBeGreaterThan(0);
    expect(leaks("server output", srv.output())).toEqual([]);
  });

  it("are in no page of the console, for an admin", async () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(BUILD_DIR, "server/app-paths-manifest.json"), "utf8"),
    ) as Record<string, string>;
    const pages = Object.keys(manifest).filter((k) => k.endsWith("/page") && !k.includes("/_"));
    const found: string[] = [];
    const seen: string[] = [];
    for (const page of pages)
      for (const id of page.includes("[id]") ? deploymentIds : [""]) {
        const url = pageUrl(`app${page}`, (seg) => (seg === "id" ? id : SERVICE));
        const res = await fetch(`${srv.url}${url}`, { headers: { cookie: srv.cookies.admin! } });
        const html = await res.text();
        seen.push(`${url} ${res.status}`);
        found.push(...leaks(`page ${url}`, html));
      }
    expect(seen).toEqual(
      expect.arrayContaining([`/services/${SERVICE} 200`, `/settings 200`, `/deployments/${deploymentIds[0]} 200`]),
    );
    // The settings page does show the configuration: the key is there, its value is not.
    const settings = await (await fetch(`${srv.url}/settings`, { headers: { cookie: srv.cookies.admin! } })).text();
    expect(settings).toContain("API_KEY");
    expect(found).toEqual([]);
  });

  it("are in no answer of a GET route: JSON, streams, the audit export and the Prometheus text", async () => {
    const found: string[] = [];
    const seen: string[] = [];
    const urls: string[] = ["/api/audit/export?format=json", "/api/audit/export?format=csv"];
    for (const r of builtRoutes().filter((r) => r.methods.includes("GET")))
      for (const id of r.pattern.includes("[id]") ? deploymentIds : [""])
        urls.push(
          fillPattern(r.pattern, (seg, parent) =>
            seg === "id" ? (parent === "deployments" ? id : "rr_none") : seg === "username" ? "admin" : SERVICE,
          ),
        );
    for (const url of new Set(urls)) {
      const scrape: Record<string, string> =
        url === "/api/metrics/prometheus" ? { authorization: `Bearer ${METRICS_TOKEN}` } : {};
      const reply = await rawRequest(`${srv.url}${url}`, {
        headers: { cookie: srv.cookies.admin!, ...scrape },
        readMs: 2500,
      });
      seen.push(`${url} ${reply.status}`);
      found.push(...leaks(`GET ${url}`, reply.body));
    }
    expect(seen).toEqual(
      expect.arrayContaining([
        "/api/audit/export?format=json 200",
        "/api/metrics/prometheus 200",
        `/api/v1/deployments/${deploymentIds[0]} 200`,
      ]),
    );
    expect(found).toEqual([]);
  });
});
