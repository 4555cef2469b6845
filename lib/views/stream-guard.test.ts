import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/create-user";
import { setUserDisabled } from "@/lib/auth/disable-user";
import { checkRoleForRequest } from "@/lib/auth/request-user";
import { createSession, deleteSession } from "@/lib/auth/sessions";
import { setRole } from "@/lib/auth/set-role";
import { tempDb } from "@/lib/auth/test-db";
import { metricsStreamResponse } from "./metrics-stream";
import { sseResponse } from "./sse";

let t: ReturnType<typeof tempDb>;
beforeEach(() => (t = tempDb()));
afterEach(() => t.close());

/** Everything the stream sends until it ends (bounded: a stream that never closes fails the test's own timeout). */
async function readToEnd(res: Response): Promise<string> {
  const reader = res.body!.getReader();
  let text = "";
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) return text;
    text += new TextDecoder().decode(chunk.value);
  }
}

async function signedIn(role: "viewer" | "oncall") {
  const user = await createUser(t.db, { username: `u-${role}`, password: "correct horse battery staple", role });
  const { token } = createSession(t.db, user.id);
  return {
    token,
    req: new Request("http://127.0.0.1/api/deployments/x/events", {
      headers: { cookie: `greenlight_session=${token}` },
    }),
  };
}

const openDeploymentStream = (req: Request, abort: AbortController, requirement: "viewer" | "oncall" = "viewer") =>
  sseResponse({
    signal: abort.signal,
    snapshot: () => ({ ok: true }),
    subscribe: () => () => {},
    heartbeatMs: 20,
    authorize: () => checkRoleForRequest(req, requirement, t.db),
  });

describe("streams end with their caller's access", () => {
  it("closes a deployment stream with access-ended once its session is signed out", async () => {
    const { token, req } = await signedIn("viewer");
    const abort = new AbortController();
    const res = openDeploymentStream(req, abort);
    setTimeout(() => deleteSession(t.db, token), 80);
    const text = await readToEnd(res);
    expect(text).toContain('data: {"ok":true}');
    expect(text).toMatch(/event: access-ended\ndata: \{"error":"Sign in first"\}\n\n$/);
  });

  it("closes it when the user is disabled, and when a role change ends the session", async () => {
    const a = await signedIn("viewer");
    setTimeout(() => setUserDisabled(t.db, "u-viewer", true, null), 60);
    expect(await readToEnd(openDeploymentStream(a.req, new AbortController()))).toContain("event: access-ended");
    const b = await signedIn("oncall");
    setTimeout(() => setRole(t.db, "u-oncall", "viewer", null), 60);
    expect(await readToEnd(openDeploymentStream(b.req, new AbortController(), "oncall"))).toContain(
      "event: access-ended",
    );
  });

  it("closes a metrics stream the same way", async () => {
    const { token, req } = await signedIn("viewer");
    const res = metricsStreamResponse({
      db: t.db,
      service: "shop",
      window: "15m",
      signal: new AbortController().signal,
      heartbeatMs: 20,
      authorize: () => checkRoleForRequest(req, "viewer", t.db),
    });
    setTimeout(() => deleteSession(t.db, token), 80);
    expect(await readToEnd(res)).toMatch(/event: access-ended\ndata: \{"error":"Sign in first"\}\n\n$/);
  });

  it("closes a stream whose caller is still allowed once it reaches its lifetime, saying so", async () => {
    const { req } = await signedIn("viewer");
    const res = sseResponse({
      signal: new AbortController().signal,
      snapshot: () => ({ ok: true }),
      subscribe: () => () => {},
      heartbeatMs: 20,
      maxLifetimeMs: 150,
      authorize: () => checkRoleForRequest(req, "viewer", t.db),
    });
    const text = await readToEnd(res);
    expect(text).toContain(": heartbeat");
    expect(text).not.toContain("access-ended");
    expect(text).toMatch(
      /event: expired\ndata: \{"error":"This stream reached its time limit; reconnect to continue\."\}\n\n$/,
    );
  });
});
