// Scenarios 23-25: every server action and route handler the production build exposes, called directly by callers
// below its role, with forged middleware headers and from another origin. The surface comes from the build's
// manifests, so a new action or route is covered (or fails this suite) without anyone editing a list here.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionRequirement } from "@/lib/actions/safe-action";
import { satisfies, type Role, type RoleRequirement } from "@/lib/auth/roles";
import { REPO_ROOT } from "@/scripts/stack/example-stack";
import { builtActions, builtRoutes, fillPattern, pageUrl, type BuiltAction, type BuiltRoute } from "./support/build-surface";
import { BUILD_DIR, PASSWORD, startConsole, type ConsoleServer } from "./support/console-server";
import { consoleState } from "./support/console-state";
import { startViaApi, waitForStatus } from "./support/deployments";
import { callAction, rawRequest } from "./support/requests";

const SERVICE = "glsec-enum";
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/*
 * Actions not built with lib/actions/safe-action, each with the reason it needs no role. Any other action without a
 * registered requirement fails the suite: the requirement is read from the wrapper itself (actionRequirement), which
 * is sound where grepping the source for `action("viewer"` is not (a requirement held in a constant, a list of
 * roles, a formAction).
 */
const PUBLIC_ACTIONS: Record<string, string> = {
  "app/login/actions.ts#signIn": "signing in is what an anonymous caller must be able to do; rate-limited (tested below)",
  "app/logout/actions.ts#signOut": "ends only the caller's own session; without one it does nothing",
};

/*
 * Route handlers that answer without a session, each with the reason. Every other route must refuse anonymous callers.
 */
const PUBLIC_ROUTES: Record<string, string> = {
  "GET /api/v1/openapi.json": "the API's description, the same for everyone, no data",
  "GET /api/metrics/prometheus": "loopback-only without GREENLIGHT_METRICS_TOKEN (non-loopback Host is refused below)",
};

let srv: ConsoleServer;
let gateId = "";
const refused = { actions: 0, routeWrites: 0 };

function values(segment: string, parent: string): string {
  if (segment === "id") return parent === "deployments" ? gateId : "rr_does_not_exist";
  if (segment === "name" || segment === "service") return SERVICE;
  if (segment === "username") return "oncall";
  throw new Error(`no value for dynamic segment [${segment}] under ${parent}: add one`);
}

/** Input that would do real harm if an action ran it without checking the caller. */
const harmfulInput = () =>
  JSON.stringify([
    { id: gateId, service: SERVICE, image: "privatetrade:2.0.0", autoPromote: true, reason: "security probe: should never run", username: "intruder", password: "intruder-password-123", role: "admin", disabled: true, channel: "slack", name: "probe", services: [SERVICE] },
  ]);

let state: ReturnType<typeof consoleState>;
let before: ReturnType<ReturnType<typeof consoleState>["snapshot"]>;
const audited = <T>(label: string, call: () => Promise<T>) => state.audited(label, call);
const snapshot = () => state.snapshot();

beforeAll(async () => {
  srv = await startConsole({ stackPort: 53010, port: 53000, name: SERVICE });
  state = consoleState(srv.fx.dataDir);
  // 2.0.0 waits at the gate, started through the console so its own engine drives it.
  gateId = await startViaApi(srv.url, srv.cookies.rm!, SERVICE, { image: "privatetrade:2.0.0" });
  await waitForStatus(srv.url, srv.cookies.rm!, gateId, ["awaiting_promotion"]);
  before = snapshot();
}, 20 * 60_000);

afterAll(async () => {
  await srv?.stop();
}, 120_000);

describe("server actions from the build", () => {
  // Read after the top-level beforeAll made sure a build exists.
  let actions: BuiltAction[] = [];
  beforeAll(() => {
    actions = builtActions();
  });
  const key = (a: BuiltAction) => `${a.file}#${a.exportedName}`;

  it("finds the actions in the build, each with a declared role or a named reason to be public", async () => {
    expect(actions.length).toBeGreaterThan(5);
    const unexplained: string[] = [];
    for (const a of actions) {
      const mod = (await import(/* @vite-ignore */ path.join(REPO_ROOT, a.file))) as Record<string, unknown>;
      if (!actionRequirement(mod[a.exportedName]) && !PUBLIC_ACTIONS[key(a)]) unexplained.push(key(a));
    }
    expect(unexplained).toEqual([]);
  });

  it("refuses every action to callers below its role, before reading the input", async () => {
    const failures: string[] = [];
    for (const a of actions) {
      if (PUBLIC_ACTIONS[key(a)]) continue;
      const mod = (await import(/* @vite-ignore */ path.join(REPO_ROOT, a.file))) as Record<string, unknown>;
      const requirement = actionRequirement(mod[a.exportedName]) as RoleRequirement;
      const page = pageUrl(a.pages[0]!, values);
      const callers: Array<{ who: string; cookie?: string; code: string }> = [{ who: "anonymous", code: "unauthorized" }];
      for (const [who, role] of [["viewer", "viewer"], ["oncall", "oncall"], ["rm", "release_manager"]] as Array<[string, Role]>)
        if (!satisfies(role, requirement)) callers.push({ who, cookie: srv.cookies[who]!, code: "forbidden" });
      for (const c of callers) {
        const reply = await audited(`${key(a)} as ${c.who}`, () => callAction(srv.url, page, a.id, { cookie: c.cookie, body: harmfulInput() }));
        if (reply.result?.ok !== false || reply.result.code !== c.code)
          failures.push(`${key(a)} as ${c.who}: ${reply.status} ${JSON.stringify(reply.result) ?? reply.text.slice(0, 200)}`);
        else refused.actions++;
      }
    }
    expect(failures).toEqual([]);
    expect(refused.actions).toBeGreaterThan(actions.length);
  });
});

describe("route handlers from the build", () => {
  let routes: BuiltRoute[] = [];
  beforeAll(() => {
    routes = builtRoutes();
  });

  it("finds the routes and their methods", () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((r) => r.methods.length === 0).map((r) => r.source)).toEqual([]);
  });

  it("refuses anonymous callers on every method, except the named public routes", async () => {
    const failures: string[] = [];
    for (const r of routes)
      for (const method of r.methods) {
        if (PUBLIC_ROUTES[`${method} ${r.pattern}`]) continue;
        const url = `${srv.url}${fillPattern(r.pattern, values)}`;
        const call = () => rawRequest(url, { method, headers: { origin: srv.url, "content-type": "application/json" }, body: STATE_CHANGING.has(method) ? "{}" : undefined, readMs: 3000 });
        const reply = STATE_CHANGING.has(method) ? await audited(`${method} ${r.pattern} anonymous`, call) : await call();
        if (reply.status !== 401) failures.push(`${method} ${r.pattern}: ${reply.status} ${reply.body.slice(0, 150)}`);
        else if (STATE_CHANGING.has(method)) refused.routeWrites++;
        if (reply.contentType.includes("text/event-stream")) failures.push(`${method} ${r.pattern} opened a stream for an anonymous caller`);
      }
    expect(failures).toEqual([]);
  });

  it("refuses a viewer on every state-changing method", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const r of routes)
      for (const method of r.methods.filter((m) => STATE_CHANGING.has(m))) {
        checked++;
        const reply = await audited(`${method} ${r.pattern} as viewer`, () =>
          rawRequest(`${srv.url}${fillPattern(r.pattern, values)}`, {
            method,
            headers: { cookie: srv.cookies.viewer!, origin: srv.url, "content-type": "application/json" },
            body: JSON.stringify({ image: "privatetrade:2.0.0", reason: "security probe: should never run" }),
          }),
        );
        if (reply.status !== 403) failures.push(`${method} ${r.pattern}: ${reply.status} ${reply.body.slice(0, 150)}`);
        else refused.routeWrites++;
      }
    expect(checked).toBeGreaterThan(4);
    expect(failures).toEqual([]);
  });

  it("refuses reads to roles below the one a route's source checks for", async () => {
    // Route handlers have no wrapper to register with, so this reads the role literal the handler checks
    // (`requireRoleForRequest(req, "admin")`, `checkRole(caller, "oncall")`); handlers that delegate to
    // app/api/v1/_lib check "viewer" for reads, which every signed-in user is.
    const failures: string[] = [];
    let checked = 0;
    for (const r of routes.filter((r) => r.methods.includes("GET"))) {
      const m = /(?:requireRoleForRequest\(\s*req\s*,|checkRole\(\s*\w+\s*,)\s*"(\w+)"/.exec(fs.readFileSync(r.source, "utf8"));
      const role = m?.[1] as Role | undefined;
      if (!role || role === "viewer") continue;
      for (const [who, callerRole] of [["viewer", "viewer"], ["oncall", "oncall"], ["rm", "release_manager"]] as Array<[string, Role]>) {
        if (satisfies(callerRole, role)) continue;
        checked++;
        const reply = await rawRequest(`${srv.url}${fillPattern(r.pattern, values)}`, { headers: { cookie: srv.cookies[who]! }, readMs: 3000 });
        if (reply.status !== 403) failures.push(`GET ${r.pattern} as ${who}: ${reply.status}`);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2);
    expect(failures).toEqual([]);
  });

  it("answers SSE routes with 401 and no stream when there is no session", async () => {
    const sse = routes.filter((r) => /\/(events|stream)$/.test(r.pattern));
    expect(sse.length).toBeGreaterThanOrEqual(3);
    for (const r of sse) {
      const reply = await rawRequest(`${srv.url}${fillPattern(r.pattern, values)}`, { headers: { accept: "text/event-stream" }, readMs: 3000 });
      expect({ route: r.pattern, status: reply.status, stream: reply.contentType.includes("event-stream") }).toEqual({ route: r.pattern, status: 401, stream: false });
    }
  });

  it("serves Prometheus text only to loopback Hosts without a token", async () => {
    const local = await rawRequest(`${srv.url}/api/metrics/prometheus`);
    expect(local.status).toBe(200);
    const remote = await rawRequest(`${srv.url}/api/metrics/prometheus`, { headers: { host: "greenlight.example.com" } });
    expect(remote.status).toBe(403);
  });
});

describe("pages from the build", () => {
  it("show nothing to a stale session cookie (past proxy.ts), in HTML or as an RSC payload", async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(BUILD_DIR, "server/app-paths-manifest.json"), "utf8")) as Record<string, string>;
    const pages = Object.keys(manifest).filter((k) => k.endsWith("/page") && !k.includes("/_") && k !== "/login/page");
    const stale = `greenlight_session=${"A".repeat(43)}`;
    const failures: string[] = [];
    let probed = 0;
    for (const page of pages) {
      const url = `${srv.url}${pageUrl(`app${page}`, values)}`;
      // Only pages that show the waiting deployment to an admin can show whether it leaks to anyone else.
      const admin = await rawRequest(url, { headers: { cookie: srv.cookies.admin! } });
      if (!admin.body.includes(gateId)) continue;
      probed++;
      for (const headers of <Array<Record<string, string>>>[{ cookie: stale }, { cookie: stale, rsc: "1" }, { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy", rsc: "1" }]) {
        const reply = await rawRequest(url, { headers });
        // A redirect to sign-in carries the page's own address (with the id) in `next`: that is no leak.
        const toLogin = reply.status >= 300 && reply.status < 400 && /^(https?:\/\/[^/]+)?\/login(\?|$)/.test(reply.location ?? "");
        if (toLogin) continue;
        if (reply.status === 200 || reply.body.includes(gateId)) failures.push(`${page} with ${JSON.stringify(headers)}: ${reply.status} ${reply.location ?? ""}`);
      }
    }
    expect(probed).toBeGreaterThanOrEqual(3);
    expect(failures).toEqual([]);
  });
});

describe("forged middleware headers (scenario 24)", () => {
  const forged = ["middleware:middleware:middleware:middleware:middleware", "proxy:proxy:proxy:proxy:proxy", "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware"];

  it("gives no access to protected routes, pages or actions", async () => {
    const promote = builtActions().find((a) => a.exportedName === "promoteAction")!;
    for (const value of forged) {
      for (const route of ["/api/services", "/api/v1/services", `/api/deployments/${gateId}`, "/api/audit/export"]) {
        const reply = await rawRequest(`${srv.url}${route}`, { headers: { "x-middleware-subrequest": value } });
        expect({ route, value, status: reply.status }).toEqual({ route, value, status: 401 });
      }
      const write = await rawRequest(`${srv.url}/api/v1/deployments/${gateId}/promote`, { method: "POST", headers: { "x-middleware-subrequest": value, origin: srv.url } });
      expect(write.status).toBe(401);
      const page = await rawRequest(`${srv.url}/settings`, { headers: { "x-middleware-subrequest": value } });
      expect(page.body).not.toContain("API tokens");
      expect([302, 303, 307, 308]).toContain(page.status);
      const reply = await audited(`promoteAction with x-middleware-subrequest ${value}`, () =>
        callAction(srv.url, `/deployments/${gateId}`, promote.id, { headers: { "x-middleware-subrequest": value }, body: harmfulInput() }),
      );
      expect(reply.result).toMatchObject({ ok: false, code: "unauthorized" });
      refused.actions++;
    }
  });
});

describe("cross-origin requests and sign-in limits (scenario 25)", () => {
  // "null" is what sandboxed frames and some redirects send; it is no more trusted than another site.
  const FOREIGN_ORIGINS = ["http://evil.example", "null", "http://127.0.0.1:53099"];

  it.each(FOREIGN_ORIGINS)("refuses a server action from origin %s even with a release manager's session", async (origin) => {
    const promote = builtActions().find((a) => a.exportedName === "promoteAction")!;
    const reply = await callAction(srv.url, `/deployments/${gateId}`, promote.id, { cookie: srv.cookies.rm!, origin, body: harmfulInput() });
    // Next's own Origin/Host check aborts the action before it runs: a 500 carrying only an error digest.
    expect(reply.status).toBe(500);
    expect(reply.text).toMatch(/^1:E\{"digest":"\d+"\}$/m);
    expect(reply.result).toBeNull();
    expect(srv.output()).toContain("Invalid Server Actions request");
    expect(snapshot().deployments).toEqual(before.deployments);
  });

  it.each(FOREIGN_ORIGINS)("refuses state-changing route handlers from origin %s even with an admin's session", async (origin) => {
    const failures: string[] = [];
    for (const r of builtRoutes())
      for (const method of r.methods.filter((m) => STATE_CHANGING.has(m))) {
        const reply = await audited(`${method} ${r.pattern} from ${origin} as admin`, () =>
          rawRequest(`${srv.url}${fillPattern(r.pattern, values)}`, {
            method,
            headers: { cookie: srv.cookies.admin!, origin, "content-type": "application/json" },
            body: JSON.stringify({ image: "privatetrade:2.0.0", reason: "security probe: should never run" }),
          }),
        );
        if (reply.status !== 403 || !/cross-origin/i.test(reply.body)) failures.push(`${method} ${r.pattern}: ${reply.status} ${reply.body.slice(0, 150)}`);
        else refused.routeWrites++;
      }
    expect(failures).toEqual([]);
  });

  it("signs in with an HttpOnly, SameSite=Lax session cookie and serves pages that refuse framing", async () => {
    const signIn = builtActions().find((a) => a.exportedName === "signIn")!;
    const form = new FormData();
    form.append("_1_username", "admin");
    form.append("_1_password", PASSWORD);
    form.append("0", JSON.stringify([{ error: null, username: "" }, "$K1"]));
    const res = await fetch(`${srv.url}/login`, { method: "POST", headers: { "next-action": signIn.id, origin: srv.url }, body: form, redirect: "manual" });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("greenlight_session="));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    const login = await fetch(`${srv.url}/login`);
    expect(login.headers.get("x-frame-options")).toBe("DENY");
    expect(login.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  // Per username, whatever address the caller claims: rotating X-Forwarded-For does not buy more guesses at one account.
  it.each([
    ["oncall", false],
    ["viewer", true],
  ])("limits failed sign-ins for %s: the sixth wrong password is answered with the wait (rotating X-Forwarded-For: %s)", async (username, rotate) => {
    const signIn = builtActions().find((a) => a.exportedName === "signIn")!;
    const errors: string[] = [];
    for (let i = 0; i < 6; i++) {
      const form = new FormData();
      // React's reply encoding of a FormData argument: its fields under `_<ref>_`, referenced as `$K<ref>`.
      form.append("_1_username", username);
      form.append("_1_password", `wrong-password-${i}`);
      form.append("0", JSON.stringify([{ error: null, username: "" }, "$K1"]));
      const headers: Record<string, string> = rotate ? { "x-forwarded-for": `198.51.100.${i + 1}` } : {};
      const reply = await callAction(srv.url, "/login", signIn.id, { body: form, headers });
      errors.push(String((reply.result as { error?: unknown } | null)?.error ?? reply.text.slice(0, 200)));
    }
    expect(errors.slice(0, 5).every((e) => e === "Wrong username or password")).toBe(true);
    expect(errors[5]).toMatch(/^Too many failed sign-in attempts\. Try again in \d+ minutes?\.$/);
  });

});

describe("after the run", () => {
  it("left the deployment at the gate, no new deployments, users, tokens, requests or notifications", () => {
    expect(snapshot()).toEqual(before);
    expect(before.deployments).toContainEqual({ id: gateId, status: "awaiting_promotion" });
  });

  it("audited the refused server actions and v1 writes as denied (scenario 23)", () => {
    expect(refused.actions).toBeGreaterThan(0);
    expect(refused.routeWrites).toBeGreaterThan(0);
    const console = state.deniedRows("console");
    expect(console.length).toBeGreaterThanOrEqual(refused.actions);
    // Every refused state-changing call, one by one, left a denied row.
    expect(state.unaudited).toEqual([]);
    // Each refused action is recorded under its own name, so the audit page says what was attempted.
    expect(console.filter((r) => r.action === "server_action").length).toBe(0);
    expect(new Set(console.map((r) => r.actor))).toEqual(new Set(["anonymous", "viewer", "oncall", "rm"]));
  });
});
