import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { abort, createDeployment, promote } from "@/app/api/v1/_lib/deployments-write";
import type { Handler } from "@/app/api/v1/_lib/guarded";
import { verbAudited } from "@/lib/actions/audited";
import { createApiToken } from "@/lib/api-tokens/create";
import { ABORT_WAIT_MS, abortDeployment } from "@/lib/deploy/abort";
import { promoteDeployment } from "@/lib/deploy/promote";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { getDeployment } from "@/lib/deploy/store";
import { notifier } from "@/lib/notify/notifier";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";

// A server action reads its request's headers through next/headers; here they are a console browser's.
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "console-browser" }) }));

let fx: Fixture;
let token = "";
const BASE = "http://127.0.0.1:51030";
const rita = { id: 7, username: "rita", role: "release_manager" as const };

beforeAll(async () => {
  fx = await engineFixture(51030, "gl-oneaudit");
  fx.ctx.notify = notifier(fx.ctx.db, fx.config, () => {});
  token = createApiToken(
    fx.ctx.db,
    { name: "ci", role: "release_manager", services: [fx.service.name] },
    { id: 1, username: "ada", role: "admin" },
  ).token;
  expect((await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true })).status).toBe("succeeded");
}, 120_000);
afterAll(async () => {
  await fx?.cleanup();
});

async function untilStatus(id: string, done: (status: string) => boolean) {
  for (let i = 0; i < 600 && !done(getDeployment(fx.ctx.db, id).status); i++)
    await new Promise((r) => setTimeout(r, 100));
  return getDeployment(fx.ctx.db, id).status;
}

async function v1<P>(handler: Handler<P>, params: P, body?: unknown) {
  const req = new Request(`${BASE}/api/v1/x`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "user-agent": "ci-client" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await handler(req, params, fx.ctx);
  return (await res.json()) as { id: string };
}

type Entry = {
  start: (image: string) => Promise<string>;
  promote: (id: string) => Promise<void>;
  abort: (id: string) => Promise<void>;
};

const step = (action: string, target: string) => ({ action, target });
const consoleEntry: Entry = {
  start: async (image) => {
    const r = await verbAudited(
      rita,
      step("deployment.start", `service:${fx.service.name}`),
      (actor) => startDeployment(fx.ctx, { service: fx.service.name, image }, rita.username, undefined, actor),
      fx.ctx.db,
    );
    if (r.noop) throw new Error(r.message);
    return r.deploymentId;
  },
  promote: async (id) => {
    await verbAudited(
      rita,
      step("deployment.promote", `deployment:${id}`),
      (actor) => promoteDeployment(fx.ctx, id, rita.username, actor),
      fx.ctx.db,
    );
  },
  abort: async (id) => {
    await verbAudited(
      rita,
      step("deployment.abort", `deployment:${id}`),
      (actor) => abortDeployment(fx.ctx, id, rita.username, { actor, waitMs: ABORT_WAIT_MS }),
      fx.ctx.db,
    );
  },
};
const apiEntry: Entry = {
  start: async (image) => (await v1(createDeployment, { service: fx.service.name }, { image })).id,
  promote: async (id) => void (await v1(promote, { id })),
  abort: async (id) => void (await v1(abort, { id })),
};

type Row = { actor: string; role: string; action: string; target: string; outcome: string; details: string };

/** The audit rows a person's start, promote or abort could have left, for these deployments. */
function personRows(ids: string[]): Row[] {
  const rows = fx.ctx.db.$client
    .prepare("SELECT actor, role, action, target, outcome, details FROM audit_log ORDER BY id")
    .all() as Row[];
  const actions = /^(deployment\.(start|promote|abort)|engine\.(deployment_started|promoted|failed))$/;
  return rows.filter(
    (r) => actions.test(r.action) && ids.some((id) => r.target === `deployment:${id}` || r.details.includes(id)),
  );
}

/** Everything but who asked and how: the deployment, its release and the source are expected to differ. */
const shape = (r: Row) => {
  const { service, from, to, via, ...rest } = JSON.parse(r.details) as Record<string, unknown>;
  return {
    role: r.role,
    action: r.action,
    target: r.target.replace(/:.*/, ":<id>"),
    outcome: r.outcome,
    details: { service, from, to, keys: Object.keys(rest).sort() },
    via,
  };
};

async function walk(entry: Entry, image: string): Promise<Row[]> {
  const aborted = await entry.start(image);
  expect(await untilStatus(aborted, (s) => s !== "running")).toBe("awaiting_promotion");
  await entry.abort(aborted);
  expect(await untilStatus(aborted, (s) => s === "aborted")).toBe("aborted");
  const promoted = await entry.start(image);
  expect(await untilStatus(promoted, (s) => s !== "running")).toBe("awaiting_promotion");
  await entry.promote(promoted);
  expect(await untilStatus(promoted, (s) => !["running", "awaiting_promotion"].includes(s))).toBe("succeeded");
  return personRows([aborted, promoted]);
}

describe("one audit row per deployment action, whichever entry point asked", () => {
  it("start, abort and promote through a console action and through /api/v1 each write exactly one row", async () => {
    const fromConsole = await walk(consoleEntry, "privatetrade:2.0.0");
    const fromApi = await walk(apiEntry, "privatetrade:1.9.0");
    const expected = ["deployment.start", "deployment.abort", "deployment.start", "deployment.promote"];
    expect(fromConsole.map((r) => r.action)).toEqual(expected);
    expect(fromApi.map((r) => r.action)).toEqual(expected);
    expect(fromConsole.map((r) => r.actor)).toEqual(["rita", "rita", "rita", "rita"]);
    expect(fromApi.map((r) => r.actor)).toEqual(["token:ci", "token:ci", "token:ci", "token:ci"]);
    const consoleShapes = fromConsole.map(shape);
    const apiShapes = fromApi.map(shape);
    expect(consoleShapes.map((s) => s.via)).toEqual(["console", "console", "console", "console"]);
    expect(apiShapes.map((s) => s.via)).toEqual(["api", "api", "api", "api"]);
    expect(apiShapes.map(({ via: _, ...s }) => s)).toEqual(consoleShapes.map(({ via: _, ...s }) => s));
    expect(consoleShapes[1]).toMatchObject({
      role: "release_manager",
      target: "deployment:<id>",
      outcome: "ok",
      details: { service: fx.service.name, from: "awaiting_promotion", to: "aborted" },
    });
    expect(consoleShapes[3]!.details).toMatchObject({ from: "awaiting_promotion", to: "running" });
  }, 240_000);
});
