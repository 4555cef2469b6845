import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abort, createDeployment, promote } from "@/app/api/v1/_lib/deployments-write";
import { deploymentEvents, getDeploymentHandler } from "@/app/api/v1/_lib/deployments-read";
import { openApiDocument } from "@/app/api/v1/_lib/openapi";
import {
  approve,
  createRollbackRequest,
  listRollbackRequestsHandler,
  readinessHandler,
  reject,
} from "@/app/api/v1/_lib/rollback";
import { listServices } from "@/app/api/v1/_lib/services";
import type { Handler } from "@/app/api/v1/_lib/guarded";
import { createApiToken } from "@/lib/api-tokens/create";
import { listApiTokens } from "@/lib/api-tokens/list";
import { revokeApiToken } from "@/lib/api-tokens/revoke";
import { createUser } from "@/lib/auth/create-user";
import { createSession } from "@/lib/auth/sessions";
import { engineFixture, lbHealth, type Fixture } from "@/tests/support/engine-fixture";

let fx: Fixture;
const tokens: Record<string, string> = {};
let cookie = "";
let ownerCookie = "";
const admin = { id: 1, username: "ada", role: "admin" as const };
const BASE = "http://127.0.0.1:51010";

async function call<P>(
  handler: Handler<P>,
  params: P,
  init: { method?: string; token?: string; headers?: Record<string, string>; body?: unknown } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const req = new Request(`${BASE}/api/v1/x`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
  const res = await handler(req, params, fx.ctx);
  const body = res.headers.get("content-type")?.includes("json") ? await res.json() : null;
  return { status: res.status, body: body as any, res };
}

/** POST /services/{service}/deployments (and its rollback requests) for the fixture's service, with a token. */
const startDeploy = (token: string | undefined, body: unknown) =>
  call(createDeployment, { service: fx.service.name }, { method: "POST", token, body });
const askRollback = (token: string | undefined, body: unknown) =>
  call(createRollbackRequest, { service: fx.service.name }, { method: "POST", token, body });

/** Polls GET /deployments/{id} until it leaves the running phases (bounded). */
async function settle(
  id: string,
  until: (status: string) => boolean = (s) => !["running", "rolling_back"].includes(s),
) {
  for (let i = 0; i < 600; i++) {
    const { body } = await call(getDeploymentHandler, { id }, { token: tokens.viewer });
    if (until(body.deployment.status)) return body;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`deployment ${id} did not settle`);
}

const denied = (action: string) =>
  fx.ctx.db.$client
    .prepare("SELECT actor, reason FROM audit_log WHERE action = ? AND outcome = 'denied' ORDER BY id")
    .all(action) as { actor: string; reason: string }[];

beforeAll(async () => {
  fx = await engineFixture(51010, "gl-apiv1");
  const name = fx.service.name;
  const make = (key: string, role: "viewer" | "oncall" | "release_manager", services: string[]) =>
    (tokens[key] = createApiToken(fx.ctx.db, { name: key, role, services }, admin).token);
  make("ci", "release_manager", [name]);
  make("approver", "release_manager", ["*"]);
  make("oncall", "oncall", [name]);
  make("viewer", "viewer", ["*"]);
  make("elsewhere", "release_manager", ["billing"]);
  make("watcher", "viewer", [name]);
  const user = await createUser(fx.ctx.db, {
    username: "rita",
    role: "release_manager",
    password: "correct horse battery staple",
  });
  cookie = `greenlight_session=${createSession(fx.ctx.db, user.id).token}`;
  // The admin who created every token above, signed in to the console.
  const owner = await createUser(fx.ctx.db, {
    username: "ada",
    role: "admin",
    password: "correct horse battery staple",
  });
  ownerCookie = `greenlight_session=${createSession(fx.ctx.db, owner.id).token}`;
}, 120_000);
afterAll(async () => {
  await fx?.cleanup();
});

describe("the v1 API handlers against the real engine", () => {
  it("refuses without credentials, with a weak role, outside the token's scope and cross-origin; denials are audited", async () => {
    const p = { service: fx.service.name };
    const body = { image: "privatetrade:1.9.0" };
    const none = await call(createDeployment, p, { method: "POST", body });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    expect((await call(createDeployment, p, { method: "POST", body, token: tokens.viewer })).status).toBe(403);
    const scoped = await call(createDeployment, p, { method: "POST", body, token: tokens.elsewhere });
    expect(scoped.status).toBe(403);
    expect(scoped.body.error.message).toMatch(/not allowed to act on gl-apiv1/);
    const cross = await call(createDeployment, p, {
      method: "POST",
      body,
      headers: { cookie, origin: "https://evil.example", host: "127.0.0.1:51010" },
    });
    expect(cross.status).toBe(403);
    expect(cross.body.error.message).toMatch(/Cross-origin/);
    expect((await call(createDeployment, p, { method: "POST", body: `{"image":`, token: tokens.ci })).status).toBe(400);
    const extra = await call(createDeployment, p, {
      method: "POST",
      body: { ...body, privileged: true },
      token: tokens.ci,
    });
    expect(extra.status).toBe(400);
    const badImage = await call(createDeployment, p, {
      method: "POST",
      body: { image: "a;rm -rf /" },
      token: tokens.ci,
    });
    expect(badImage.status).toBe(400);
    expect(denied("deployment.start").map((r) => r.actor)).toEqual([
      "anonymous",
      "token:viewer",
      "token:elsewhere",
      "rita",
    ]);
    expect(fx.ctx.db.$client.prepare("SELECT count(*) AS n FROM deployments").get()).toEqual({ n: 0 });
  });

  it("starts a deployment (202 with links), follows it to success, and answers a redeploy of the live version as a no-op", async () => {
    const started = await startDeploy(tokens.ci, { image: "privatetrade:1.9.0", autoPromote: true });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      status: "running",
      toSlot: "blue",
      links: { self: `/api/v1/deployments/${started.body.id}` },
    });
    expect(started.res.headers.get("location")).toBe(started.body.links.self);
    const done = await settle(started.body.id);
    expect(done.deployment).toMatchObject({ status: "succeeded", requestedBy: "token:ci", version: "1.9.0" });
    expect(done.steps.map((s: { phase: string }) => s.phase)).toContain("verify");
    const again = await startDeploy(tokens.ci, { image: "privatetrade:1.9.0" });
    expect(again).toMatchObject({
      status: 200,
      body: { noop: true, message: expect.stringMatching(/already serves 1\.9\.0/) },
    });
  }, 120_000);

  it("a second deployment during the first is a 409 naming the holder; promote through the API switches traffic", async () => {
    const first = await startDeploy(tokens.ci, { image: "privatetrade:2.0.0" });
    expect(first.status).toBe(202);
    const second = await startDeploy(tokens.approver, { image: "privatetrade:2.0.0" });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: "conflict",
      holder: { holder: first.body.id },
      deployment: { id: first.body.id },
    });
    await settle(first.body.id, (s) => s !== "running");
    const events = await call(deploymentEvents, { id: first.body.id }, { token: tokens.viewer });
    expect(events.res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = events.res.body!.getReader();
    let text = "";
    while (!text.includes("data: ")) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toContain(`"status":"awaiting_promotion"`);
    // A stream opened with a token ends at the first heartbeat after the token is revoked.
    process.env.GREENLIGHT_STREAM_HEARTBEAT_MS = "100";
    try {
      const watched = await call(deploymentEvents, { id: first.body.id }, { token: tokens.watcher });
      const watcher = listApiTokens(fx.ctx.db).find((t) => t.name === "watcher")!;
      setTimeout(() => revokeApiToken(fx.ctx.db, watcher.id, admin), 300);
      const streamed = await new Response(watched.res.body).text();
      expect(streamed).toMatch(/event: access-ended\ndata: \{"error":"Sign in first"\}\n\n$/);
    } finally {
      delete process.env.GREENLIGHT_STREAM_HEARTBEAT_MS;
    }
    expect((await call(promote, { id: first.body.id }, { method: "POST", token: tokens.oncall })).status).toBe(403);
    const outside = await call(promote, { id: first.body.id }, { method: "POST", token: tokens.elsewhere });
    expect(outside.status).toBe(403);
    expect(outside.body.error.message).toMatch(/not allowed to act on gl-apiv1/);
    // Refused by role and refused by scope: both leave a denied row naming the token.
    expect(denied("deployment.promote").map((r) => r.actor)).toEqual(["token:oncall", "token:elsewhere"]);
    const promoted = await call(promote, { id: first.body.id }, { method: "POST", token: tokens.ci });
    expect(promoted.status).toBe(202);
    expect((await settle(first.body.id)).deployment.status).toBe("succeeded");
    expect((await lbHealth(fx)).version).toBe("2.0.0");
  }, 120_000);

  it("oncall asks for a rollback through the API, a person approves (a token may not), traffic is back on blue", async () => {
    const ready = await call(readinessHandler, { service: fx.service.name }, { token: tokens.viewer });
    expect(ready.body).toMatchObject({ ready: true, fromVersion: "1.9.0" });
    const short = await askRollback(tokens.oncall, { reason: "bad" });
    expect(short.status).toBe(400);
    const asked = await askRollback(tokens.oncall, { reason: "checkout errors since 2.0.0 went live" });
    expect(asked.status).toBe(201);
    // The two-person rule counts the token's owner as the one who asked.
    expect(asked.body.request).toMatchObject({ status: "pending", requestedBy: "ada" });
    const byOwner = await call(
      approve,
      { id: asked.body.request.id },
      { method: "POST", headers: { cookie: ownerCookie, origin: BASE, host: "127.0.0.1:51010" } },
    );
    expect(byOwner.status).toBe(403);
    expect(byOwner.body.error.message).toMatch(/You asked for this rollback/);
    const rejectedByToken = await call(
      reject,
      { id: asked.body.request.id },
      { method: "POST", token: tokens.approver, body: { reason: "tokens do not decide" } },
    );
    expect(rejectedByToken.status).toBe(403);
    expect(rejectedByToken.body.error.message).toMatch(/An API token cannot reject a rollback/);
    expect(denied("rollback.reject").map((r) => r.actor)).toEqual(["token:approver"]);
    const self = await call(approve, { id: asked.body.request.id }, { method: "POST", token: tokens.oncall });
    expect(self.status).toBe(403);
    const byToken = await call(approve, { id: asked.body.request.id }, { method: "POST", token: tokens.approver });
    expect(byToken.status).toBe(403);
    expect(byToken.body.error.message).toMatch(/An API token cannot approve a rollback/);
    const ok = await call(
      approve,
      { id: asked.body.request.id },
      { method: "POST", headers: { cookie, origin: BASE, host: "127.0.0.1:51010" } },
    );
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.request).toMatchObject({ status: "executed", decidedBy: "rita" });
    expect((await lbHealth(fx)).version).toBe("1.9.0");
  }, 120_000);

  it("aborts a deployment waiting at the gate", async () => {
    const started = await startDeploy(tokens.ci, { image: "privatetrade:2.0.0" });
    expect(started.status).toBe(202);
    await settle(started.body.id, (s) => s !== "running");
    const aborted = await call(abort, { id: started.body.id }, { method: "POST", token: tokens.ci });
    expect(aborted).toMatchObject({ status: 200, body: { status: "aborted" } });
    const twice = await call(abort, { id: started.body.id }, { method: "POST", token: tokens.ci });
    expect(twice.status).toBe(409);
    expect((await lbHealth(fx)).version).toBe("1.9.0");
  }, 120_000);

  it("lists the service's rollback requests, marking pending ones past their time as expired", async () => {
    const served = fx.ctx.db.$client.prepare("SELECT id FROM deployments ORDER BY created_at LIMIT 1").get() as {
      id: string;
    };
    fx.ctx.db.$client
      .prepare(
        "INSERT INTO rollback_requests (id, service, deployment_id, requested_by, requested_role, reason, status, created_at, expires_at) VALUES (?, ?, ?, 'olga', 'oncall', ?, 'pending', ?, ?)",
      )
      .run(
        "r-old",
        fx.service.name,
        served.id,
        "an old request nobody decided",
        Date.now() - 20 * 60_000,
        Date.now() - 5 * 60_000,
      );
    const list = await call(listRollbackRequestsHandler, { service: fx.service.name }, { token: tokens.viewer });
    expect(list.status).toBe(200);
    const byId = Object.fromEntries(list.body.requests.map((r: { id: string; status: string }) => [r.id, r.status]));
    expect(byId["r-old"]).toBe("expired");
    expect(Object.values(byId)).toContain("executed");
    expect(
      (await call(listRollbackRequestsHandler, { service: fx.service.name }, { token: tokens.elsewhere })).status,
    ).toBe(403);
  });

  it("lists only the services in the token's scope and 404s unknown deployments", async () => {
    const all = await call(listServices, {}, { token: tokens.viewer });
    expect(all.body.services.map((s: { name: string }) => s.name)).toEqual([fx.service.name]);
    const none = await call(listServices, {}, { token: tokens.elsewhere });
    expect(none.body.services).toEqual([]);
    const missing = await call(getDeploymentHandler, { id: "dnothere" }, { token: tokens.viewer });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
  });

  it("documents every v1 route in the OpenAPI document", () => {
    const root = path.join(process.cwd(), "app/api/v1");
    const routes = (fs.readdirSync(root, { recursive: true }) as string[])
      .filter((f) => f.endsWith("route.ts") && !f.startsWith("openapi.json"))
      .map((f) => `/api/v1/${path.dirname(f)}`.replace(/\/\.$/, "").replace(/\[(\w+)\]/g, "{$1}"));
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const r of routes) expect(Object.keys(openApiDocument.paths), r).toContain(r);
    expect(openApiDocument.openapi).toBe("3.1.0");
  });
});
