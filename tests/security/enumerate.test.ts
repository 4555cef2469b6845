// Scenarios 23-25: every server action and route handler the production build exposes, called directly by callers
// below the role tests/security/expected-roles.ts names for it (never the role the code declares), with API tokens
// out of scope, under-role, revoked and expired, with forged middleware and forwarding headers, and from another
// origin. The surface comes from the build's manifests: a new action or route without an entry in that table fails.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/api-tokens/create";
import { revokeApiToken } from "@/lib/api-tokens/revoke";
import { actionRequirement } from "@/lib/actions/safe-action";
import { createUser } from "@/lib/auth/create-user";
import { createSession } from "@/lib/auth/sessions";
import { SESSION_COOKIE } from "@/lib/auth/cookie";
import type { Role } from "@/lib/auth/roles";
import { REPO_ROOT } from "@/scripts/stack/example-stack";
import {
  builtActions,
  builtRoutes,
  fillPattern,
  pageUrl,
  type BuiltAction,
  type BuiltRoute,
} from "./support/build-surface";
import { BUILD_DIR, PASSWORD, startConsole, type ConsoleServer } from "./support/console-server";
import { consoleState } from "./support/console-state";
import { startViaApi, waitForStatus } from "./support/deployments";
import { callAction, rawRequest } from "./support/requests";
import { signInRaw } from "./support/sign-in";
import {
  EXPECTED_ACTION_ROLES,
  EXPECTED_ROUTE_ROLES,
  isPublic,
  missingEntry,
  rolesRefused,
  staleEntries,
} from "./expected-roles";

const SERVICE = "glsec-enum";
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const COOKIE_OF: Record<Role, string | null> = {
  viewer: "viewer",
  oncall: "oncall",
  release_manager: "rm",
  admin: null,
};
const DAY_MS = 86_400_000;
// The console runs as if behind nginx on 127.0.0.1; a client on 127.0.0.2 is someone reaching it directly.
const PROXY = "127.0.0.1";
const DIRECT = "127.0.0.2";

/** API tokens and a user for streams, written before the console starts. */
const tokens: Record<string, string> = {};
const streamCookies: string[] = [];
let streamTokenId = 0;
async function seed(db: Parameters<NonNullable<Parameters<typeof startConsole>[0]["seed"]>>[0]) {
  const admin = { id: 0, username: "admin", role: "admin" as const };
  for (const role of ["viewer", "oncall", "release_manager"] as const)
    tokens[role] = createApiToken(db, { name: `sec-${role}`, role, services: [SERVICE] }, admin).token;
  tokens.all = createApiToken(db, { name: "sec-admin-all", role: "admin", services: ["*"] }, admin).token;
  tokens.outOfScope = createApiToken(db, { name: "sec-elsewhere", role: "admin", services: ["billing"] }, admin).token;
  const revoked = createApiToken(db, { name: "sec-revoked", role: "admin", services: ["*"] }, admin);
  revokeApiToken(db, revoked.record.id, admin);
  tokens.revoked = revoked.token;
  tokens.expired = createApiToken(
    db,
    { name: "sec-expired", role: "admin", services: ["*"], expiresInDays: 1 },
    admin,
    Date.now() - 2 * DAY_MS,
  ).token;
  const watcher = createApiToken(db, { name: "sec-stream", role: "viewer", services: [SERVICE] }, admin);
  tokens.stream = watcher.token;
  streamTokenId = watcher.record.id;
  const streamer = await createUser(db, { username: "streamer", password: PASSWORD, role: "viewer" });
  for (let i = 0; i < 2; i++) streamCookies.push(`${SESSION_COOKIE}=${createSession(db, streamer.id).token}`);
}

let srv: ConsoleServer;
let gateId = "";
const refused = { actions: 0, routeWrites: 0 };

function values(segment: string, parent: string): string {
  if (segment === "id") return parent === "deployments" ? gateId : "r-does-not-exist";
  if (segment === "name" || segment === "service") return SERVICE;
  if (segment === "username") return "oncall";
  throw new Error(`no value for dynamic segment [${segment}] under ${parent}: add one`);
}

/** Input that would do real harm if an action ran it without checking the caller. */
const harmfulInput = () =>
  JSON.stringify([
    {
      id: gateId,
      service: SERVICE,
      image: "privatetrade:2.0.0",
      autoPromote: true,
      reason: "security probe: should never run",
      username: "intruder",
      password: "intruder-password-123",
      role: "admin",
      disabled: true,
      channel: "slack",
      name: "probe",
      services: [SERVICE],
    },
  ]);

let state: ReturnType<typeof consoleState>;
let before: ReturnType<ReturnType<typeof consoleState>["snapshot"]>;
const audited = <T>(label: string, call: () => Promise<T>) => state.audited(label, call);
const snapshot = () => state.snapshot();

beforeAll(async () => {
  srv = await startConsole({
    stackPort: 53010,
    port: 53000,
    name: SERVICE,
    seed,
    env: { GREENLIGHT_TRUST_PROXY: PROXY, GREENLIGHT_STREAM_HEARTBEAT_MS: "300" },
  });
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

  it("finds every action of the build in the table of expected roles, and no stale entries", () => {
    expect(actions.length).toBeGreaterThan(5);
    const missing = actions
      .filter((a) => !EXPECTED_ACTION_ROLES[key(a)])
      .map((a) => missingEntry("EXPECTED_ACTION_ROLES", key(a)));
    expect(missing).toEqual([]);
    expect(staleEntries("EXPECTED_ACTION_ROLES", actions.map(key))).toEqual([]);
  });

  it("each action declares the role the table expects (a wrong declaration is named here, and refused below)", async () => {
    const mismatched: string[] = [];
    for (const a of actions) {
      const expected = EXPECTED_ACTION_ROLES[key(a)];
      if (!expected || isPublic(expected)) continue;
      const mod = (await import(/* @vite-ignore */ path.join(REPO_ROOT, a.file))) as Record<string, unknown>;
      const declared = actionRequirement(mod[a.exportedName]);
      // Compared by who is refused: "oncall" and ["oncall", "release_manager", "admin"] say the same.
      const same =
        declared !== undefined && JSON.stringify(rolesRefused(declared)) === JSON.stringify(rolesRefused(expected));
      if (!same)
        mismatched.push(
          `${key(a)} declares ${JSON.stringify(declared)}, the table expects ${JSON.stringify(expected)}`,
        );
    }
    expect(mismatched).toEqual([]);
  });

  it("refuses every action to anonymous callers and every role below the expected one, before reading the input", async () => {
    const failures: string[] = [];
    for (const a of actions) {
      const expected = EXPECTED_ACTION_ROLES[key(a)];
      if (!expected || isPublic(expected)) continue;
      const page = pageUrl(a.pages[0]!, values);
      const callers: Array<{ who: string; cookie?: string; code: string }> = [
        { who: "anonymous", code: "unauthorized" },
      ];
      for (const role of rolesRefused(expected)) {
        const who = COOKIE_OF[role];
        if (who) callers.push({ who, cookie: srv.cookies[who]!, code: "forbidden" });
      }
      for (const c of callers) {
        const reply = await audited(`${key(a)} as ${c.who}`, () =>
          callAction(srv.url, page, a.id, { cookie: c.cookie, body: harmfulInput() }),
        );
        if (reply.result?.ok !== false || reply.result.code !== c.code)
          failures.push(
            `${key(a)} as ${c.who}: ${reply.status} ${JSON.stringify(reply.result) ?? reply.text.slice(0, 200)}`,
          );
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

  it("finds the routes and their methods, each in the table of expected roles, and no stale entries", () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((r) => r.methods.length === 0).map((r) => r.source)).toEqual([]);
    const keys = routes.flatMap((r) => r.methods.map((m) => `${m} ${r.pattern}`));
    expect(keys.filter((k) => !EXPECTED_ROUTE_ROLES[k]).map((k) => missingEntry("EXPECTED_ROUTE_ROLES", k))).toEqual(
      [],
    );
    expect(staleEntries("EXPECTED_ROUTE_ROLES", keys)).toEqual([]);
  });

  it("refuses anonymous callers on every method, except the named public routes", async () => {
    const failures: string[] = [];
    for (const r of routes)
      for (const method of r.methods) {
        if (isPublic(EXPECTED_ROUTE_ROLES[`${method} ${r.pattern}`])) continue;
        const url = `${srv.url}${fillPattern(r.pattern, values)}`;
        const call = () =>
          rawRequest(url, {
            method,
            headers: { origin: srv.url, "content-type": "application/json" },
            body: STATE_CHANGING.has(method) ? "{}" : undefined,
            readMs: 3000,
          });
        const reply = STATE_CHANGING.has(method)
          ? await audited(`${method} ${r.pattern} anonymous`, call)
          : await call();
        if (reply.status !== 401) failures.push(`${method} ${r.pattern}: ${reply.status} ${reply.body.slice(0, 150)}`);
        else if (STATE_CHANGING.has(method)) refused.routeWrites++;
        if (reply.contentType.includes("text/event-stream"))
          failures.push(`${method} ${r.pattern} opened a stream for an anonymous caller`);
      }
    expect(failures).toEqual([]);
  });

  it("refuses every role below the expected one, on every method (writes audited)", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const r of routes)
      for (const method of r.methods) {
        const expected = EXPECTED_ROUTE_ROLES[`${method} ${r.pattern}`];
        if (!expected || isPublic(expected)) continue;
        for (const role of rolesRefused(expected)) {
          const who = COOKIE_OF[role]!;
          checked++;
          const call = () =>
            rawRequest(`${srv.url}${fillPattern(r.pattern, values)}`, {
              method,
              headers: { cookie: srv.cookies[who]!, origin: srv.url, "content-type": "application/json" },
              body: STATE_CHANGING.has(method)
                ? JSON.stringify({ image: "privatetrade:2.0.0", reason: "security probe: should never run" })
                : undefined,
              readMs: 3000,
            });
          const reply = STATE_CHANGING.has(method)
            ? await audited(`${method} ${r.pattern} as ${who}`, call)
            : await call();
          if (reply.status !== 403)
            failures.push(`${method} ${r.pattern} as ${who}: ${reply.status} ${reply.body.slice(0, 150)}`);
          else if (STATE_CHANGING.has(method)) refused.routeWrites++;
        }
      }
    expect(checked).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });

  it("refuses API tokens outside /api/v1, and under /api/v1 tokens out of scope, under-role, revoked or expired", async () => {
    const failures: string[] = [];
    const send = (r: BuiltRoute, method: string, token: string, label: string) => {
      const call = () =>
        rawRequest(`${srv.url}${fillPattern(r.pattern, values)}`, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: STATE_CHANGING.has(method)
            ? JSON.stringify({ image: "privatetrade:2.0.0", reason: "security probe: should never run" })
            : undefined,
          readMs: 3000,
        });
      return STATE_CHANGING.has(method) ? audited(`${method} ${r.pattern} with ${label}`, call) : call();
    };
    const check = (what: string, status: number, want: number) =>
      status !== want && failures.push(`${what}: ${status}, expected ${want}`);
    for (const r of routes)
      for (const method of r.methods) {
        const expected = EXPECTED_ROUTE_ROLES[`${method} ${r.pattern}`];
        if (!expected || isPublic(expected)) continue;
        const what = (label: string) => `${method} ${r.pattern} with ${label}`;
        for (const label of ["revoked", "expired"])
          check(what(`a ${label} token`), (await send(r, method, tokens[label]!, label)).status, 401);
        if (!r.pattern.startsWith("/api/v1/")) {
          const reply = await send(r, method, tokens.all!, "an admin token for every service");
          check(what("an admin token for every service"), reply.status, 401);
          if (!reply.body.includes("only under /api/v1"))
            failures.push(`${what("a token")}: no word that tokens work only under /api/v1`);
          continue;
        }
        for (const role of rolesRefused(expected).filter((x) => x !== "admin"))
          check(what(`a ${role} token`), (await send(r, method, tokens[role]!, `a ${role} token`)).status, 403);
        if (r.pattern === "/api/v1/services") continue; // lists only the token's services (tests/api-v1)
        // A rollback request the suite never made is not found before its service is known.
        const outOfScope = r.pattern.startsWith("/api/v1/rollback-requests/[id]/") ? 404 : 403;
        const reply =
          outOfScope === 404
            ? await rawRequest(`${srv.url}${fillPattern(r.pattern, values)}`, {
                method,
                headers: { authorization: `Bearer ${tokens.outOfScope}` },
                body: "{}",
              })
            : await send(r, method, tokens.outOfScope!, "an out-of-scope token");
        check(what("a token for another service"), reply.status, outOfScope);
      }
    expect(failures).toEqual([]);
  });

  it("answers SSE routes with 401 and no stream when there is no session", async () => {
    const sse = routes.filter((r) => /\/(events|stream)$/.test(r.pattern));
    expect(sse.length).toBeGreaterThanOrEqual(3);
    for (const r of sse) {
      const reply = await rawRequest(`${srv.url}${fillPattern(r.pattern, values)}`, {
        headers: { accept: "text/event-stream" },
        readMs: 3000,
      });
      expect({ route: r.pattern, status: reply.status, stream: reply.contentType.includes("event-stream") }).toEqual({
        route: r.pattern,
        status: 401,
        stream: false,
      });
    }
  });

  it("never takes loopback, a Host or forwarded headers for a Prometheus credential while services use host networking", async () => {
    const forged: Array<Record<string, string>> = [
      {},
      { host: "localhost" },
      { host: "127.0.0.1", "x-forwarded-for": "127.0.0.1" },
      { "x-real-ip": "127.0.0.1" },
      { host: "[::1]", "x-forwarded-for": "127.0.0.1, 127.0.0.1", "x-real-ip": "::1" },
    ];
    for (const localAddress of [PROXY, DIRECT])
      for (const headers of forged) {
        const reply = await rawRequest(`${srv.url}/api/metrics/prometheus`, { headers, localAddress });
        expect({
          localAddress,
          headers,
          status: reply.status,
          says: /GREENLIGHT_METRICS_TOKEN/.test(reply.body),
        }).toEqual({ localAddress, headers, status: 403, says: true });
      }
  });
});

describe("pages from the build", () => {
  it("carry a fresh script nonce in their CSP, with no 'unsafe-inline' scripts, and every script tag carries it", async () => {
    const seen = new Set<string>();
    for (const [url, cookie] of [
      ["/login", ""],
      ["/login", ""],
      [`/services/${SERVICE}`, srv.cookies.admin!],
      [`/deployments/${gateId}`, srv.cookies.rm!],
    ] as const) {
      const reply = await rawRequest(`${srv.url}${url}`, { headers: cookie ? { cookie } : {} });
      const csp = String(reply.headers["content-security-policy"] ?? "");
      const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? "";
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
      expect({
        url,
        status: reply.status,
        unsafeInline: scriptSrc.includes("'unsafe-inline'"),
        nonce: Boolean(nonce),
      }).toEqual({ url, status: 200, unsafeInline: false, nonce: true });
      seen.add(nonce!);
      const scripts = reply.body.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`))).toEqual([]);
    }
    expect(seen.size).toBe(4);
  });

  it("show nothing to a stale session cookie (past proxy.ts), in HTML or as an RSC payload", async () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(BUILD_DIR, "server/app-paths-manifest.json"), "utf8"),
    ) as Record<string, string>;
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
      for (const headers of <Array<Record<string, string>>>[
        { cookie: stale },
        { cookie: stale, rsc: "1" },
        { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy", rsc: "1" },
      ]) {
        const reply = await rawRequest(url, { headers });
        // A redirect to sign-in carries the page's own address (with the id) in `next`: that is no leak.
        const toLogin =
          reply.status >= 300 && reply.status < 400 && /^(https?:\/\/[^/]+)?\/login(\?|$)/.test(reply.location ?? "");
        if (toLogin) continue;
        if (reply.status === 200 || reply.body.includes(gateId))
          failures.push(`${page} with ${JSON.stringify(headers)}: ${reply.status} ${reply.location ?? ""}`);
      }
    }
    expect(probed).toBeGreaterThanOrEqual(3);
    expect(failures).toEqual([]);
  });
});

describe("forged middleware headers (scenario 24)", () => {
  const forged = [
    "middleware:middleware:middleware:middleware:middleware",
    "proxy:proxy:proxy:proxy:proxy",
    "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
  ];

  it("gives no access to protected routes, pages or actions", async () => {
    const promote = builtActions().find((a) => a.exportedName === "promoteAction")!;
    for (const value of forged) {
      for (const route of ["/api/services", "/api/v1/services", `/api/deployments/${gateId}`, "/api/audit/export"]) {
        const reply = await rawRequest(`${srv.url}${route}`, { headers: { "x-middleware-subrequest": value } });
        expect({ route, value, status: reply.status }).toEqual({ route, value, status: 401 });
      }
      const write = await rawRequest(`${srv.url}/api/v1/deployments/${gateId}/promote`, {
        method: "POST",
        headers: { "x-middleware-subrequest": value, origin: srv.url },
      });
      expect(write.status).toBe(401);
      const page = await rawRequest(`${srv.url}/settings`, { headers: { "x-middleware-subrequest": value } });
      expect(page.body).not.toContain("API tokens");
      expect([302, 303, 307, 308]).toContain(page.status);
      const reply = await audited(`promoteAction with x-middleware-subrequest ${value}`, () =>
        callAction(srv.url, `/deployments/${gateId}`, promote.id, {
          headers: { "x-middleware-subrequest": value },
          body: harmfulInput(),
        }),
      );
      expect(reply.result).toMatchObject({ ok: false, code: "unauthorized" });
      refused.actions++;
    }
  });
});

describe("cross-origin requests and sign-in limits (scenario 25)", () => {
  // "null" is what sandboxed frames and some redirects send; it is no more trusted than another site.
  const FOREIGN_ORIGINS = ["http://evil.example", "null", "http://127.0.0.1:53099"];

  it.each(FOREIGN_ORIGINS)(
    "refuses a server action from origin %s even with a release manager's session",
    async (origin) => {
      const promote = builtActions().find((a) => a.exportedName === "promoteAction")!;
      const reply = await callAction(srv.url, `/deployments/${gateId}`, promote.id, {
        cookie: srv.cookies.rm!,
        origin,
        body: harmfulInput(),
      });
      // Next's own Origin/Host check aborts the action before it runs: a 500 carrying only an error digest.
      expect(reply.status).toBe(500);
      expect(reply.text).toMatch(/^1:E\{"digest":"\d+"\}$/m);
      expect(reply.result).toBeNull();
      expect(srv.output()).toContain("Invalid Server Actions request");
      expect(snapshot().deployments).toEqual(before.deployments);
    },
  );

  it.each(FOREIGN_ORIGINS)(
    "refuses state-changing route handlers from origin %s even with an admin's session",
    async (origin) => {
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
          if (reply.status !== 403 || !/cross-origin/i.test(reply.body))
            failures.push(`${method} ${r.pattern}: ${reply.status} ${reply.body.slice(0, 150)}`);
          else refused.routeWrites++;
        }
      expect(failures).toEqual([]);
    },
  );

  it("signs in with an HttpOnly, SameSite=Lax session cookie and serves pages that refuse framing", async () => {
    const signIn = builtActions().find((a) => a.exportedName === "signIn")!;
    const form = new FormData();
    form.append("_1_username", "admin");
    form.append("_1_password", PASSWORD);
    form.append("0", JSON.stringify([{ error: null, username: "" }, "$K1"]));
    const res = await fetch(`${srv.url}/login`, {
      method: "POST",
      headers: { "next-action": signIn.id, origin: srv.url },
      body: form,
      redirect: "manual",
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("greenlight_session="));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    const login = await fetch(`${srv.url}/login`);
    expect(login.headers.get("x-frame-options")).toBe("DENY");
    expect(login.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("records the client's own address, not what a caller that is not the proxy forwards", async () => {
    const promote = `${srv.url}/api/v1/deployments/${gateId}/promote`;
    const forged = { "x-forwarded-for": "203.0.113.50", "x-real-ip": "203.0.113.51", origin: srv.url };
    await audited("promote from 127.0.0.2 with forged forwarding headers", () =>
      rawRequest(promote, { method: "POST", headers: forged, localAddress: DIRECT }),
    );
    expect(state.lastDenied()).toMatchObject({ action: "deployment.promote", sourceIp: DIRECT });
    // Through the proxy, the entry it added for its own client counts.
    await audited("promote through the proxy", () =>
      rawRequest(promote, {
        method: "POST",
        headers: { ...forged, "x-forwarded-for": "203.0.113.50, 198.51.100.23" },
        localAddress: PROXY,
      }),
    );
    expect(state.lastDenied()).toMatchObject({ action: "deployment.promote", sourceIp: "198.51.100.23" });
    refused.routeWrites += 2;
  });

  const signInId = () => builtActions().find((a) => a.exportedName === "signIn")!.id;
  /** Six sign-ins of `username` with wrong passwords (`<guess>-<i>`), sent with `opts(i)`: their errors in turn. */
  const sixWrongSignIns = async (
    username: string,
    guess: string,
    opts: (i: number) => Parameters<typeof signInRaw>[3],
  ): Promise<string[]> => {
    const errors: string[] = [];
    for (let i = 0; i < 6; i++)
      errors.push(
        String((await signInRaw(srv.url, signInId(), { username, password: `${guess}-${i}` }, opts(i))).error),
      );
    return errors;
  };
  const WAIT = /^Too many failed sign-in attempts\. Try again in \d+ (seconds?|minutes?)\.$/;

  it("slows a sixth wrong password from one address with the wait, and forged headers from a direct caller buy no more", async () => {
    const errors = await sixWrongSignIns("oncall", "wrong-password", () => ({
      headers: { "x-forwarded-for": "198.51.100.1" },
    }));
    expect(errors.slice(0, 5)).toEqual(Array(5).fill("Wrong username or password"));
    expect(errors[5]).toMatch(WAIT);
    const direct = await sixWrongSignIns("rm", "wrong-password", (i) => ({
      headers: { "x-forwarded-for": `198.51.100.${100 + i}` },
      localAddress: DIRECT,
    }));
    expect(direct[5]).toMatch(WAIT);
  });

  it("cannot lock a user out: after an attacker's failures, the user signs in with the right password from their own address", async () => {
    const attacker = { headers: { "x-forwarded-for": "203.0.113.66" } };
    const errors = await sixWrongSignIns("viewer", "attacker-guess", () => attacker);
    expect(errors[5]).toMatch(WAIT);
    const user = await signInRaw(
      srv.url,
      signInId(),
      { username: "viewer", password: PASSWORD },
      { headers: { "x-forwarded-for": "198.51.100.20" } },
    );
    expect(user.error).toBeNull();
    expect(user.cookie).toMatch(/^greenlight_session=/);
  });

  it.each([
    ["/.//evil.example", "/"],
    ["/..//evil.example/x", "/"],
    ["/%2e//evil.example", "/"],
    ["/a/..//evil.example", "/"],
    ["//evil.example", "/"],
    [`/services/${SERVICE}`, `/services/${SERVICE}`],
  ])("after sign-in with next=%s goes to %s", async (next, where) => {
    const reply = await signInRaw(
      srv.url,
      signInId(),
      { username: "admin", password: PASSWORD, next },
      { headers: { "x-forwarded-for": "198.51.100.30" } },
    );
    expect(reply.error).toBeNull();
    expect(reply.redirect?.split(";")[0]).toBe(where);
  });
});

describe("streams end with their caller's access (issue: streams outlive their session)", () => {
  /** Follows a stream until the server ends it (bounded), running `meanwhile` once the first snapshot arrived. */
  function follow(
    url: string,
    headers: Record<string, string>,
    meanwhile: () => Promise<unknown>,
  ): Promise<{ status: number; body: string; ended: boolean }> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers }, (res) => {
        let body = "";
        let started = false;
        const timer = setTimeout(
          () => (res.destroy(), resolve({ status: res.statusCode ?? 0, body, ended: false })),
          20_000,
        );
        res.on("data", (d: Buffer) => {
          body += d.toString();
          if (!started && body.includes("data: ")) {
            started = true;
            meanwhile().catch(reject);
          }
        });
        res.on("end", () => (clearTimeout(timer), resolve({ status: res.statusCode ?? 0, body, ended: true })));
      });
      req.on("error", reject);
    });
  }
  const endedWithAccess = /event: access-ended\ndata: \{"error":"[^"]+"\}\n\n$/;

  it("closes a deployment stream at the next heartbeat after its user signs out", async () => {
    const signOut = builtActions().find((a) => a.exportedName === "signOut")!;
    const out = await follow(`${srv.url}/api/deployments/${gateId}/events`, { cookie: streamCookies[0]! }, () =>
      callAction(srv.url, pageUrl(signOut.pages[0]!, values), signOut.id, { cookie: streamCookies[0]!, body: "[]" }),
    );
    expect(out).toMatchObject({ status: 200, ended: true });
    expect(out.body).toMatch(endedWithAccess);
  });

  it("closes it when an admin ends the user's sessions", async () => {
    const out = await follow(`${srv.url}/api/services/${SERVICE}/events`, { cookie: streamCookies[1]! }, () =>
      rawRequest(`${srv.url}/api/auth/users/streamer/sessions`, {
        method: "DELETE",
        headers: { cookie: srv.cookies.admin!, origin: srv.url },
      }),
    );
    expect(out).toMatchObject({ status: 200, ended: true });
    expect(out.body).toMatch(endedWithAccess);
  });

  it("closes a v1 stream when its API token is revoked", async () => {
    const revoke = builtActions().find((a) => a.exportedName === "revokeApiTokenAction")!;
    const out = await follow(
      `${srv.url}/api/v1/deployments/${gateId}/events`,
      { authorization: `Bearer ${tokens.stream}` },
      async () => {
        const reply = await callAction(srv.url, pageUrl(revoke.pages[0]!, values), revoke.id, {
          cookie: srv.cookies.admin!,
          body: JSON.stringify([{ id: streamTokenId }]),
        });
        if (reply.result?.ok !== true)
          throw new Error(`revoking the stream's token failed: ${reply.text.slice(0, 200)}`);
      },
    );
    expect(out).toMatchObject({ status: 200, ended: true });
    expect(out.body).toMatch(endedWithAccess);
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
