import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/api-tokens/create";
import { tableRowCounts } from "@/lib/appdb/row-counts";
import { createUser } from "@/lib/auth/create-user";
import { createSession } from "@/lib/auth/sessions";
import { deployAndWait, engineFixture, lbHealth, type Fixture } from "@/tests/support/engine-fixture";
import { brokenInvariants, waitUntilAtRest } from "@/tests/support/chaos-invariants";
import { startConsole, type ConsoleProcess } from "@/tests/support/console-runner";
import { seedFrom, seededRandom, sleep } from "@/tests/support/kill-restart";
import { servingDeployment, unfinishedDeployments } from "./store";

/**
 * Scenario 37 with random kills: deployments, promotions, aborts and approved rollbacks through the API of a real
 * console process, which a supervisor (this test) kills with SIGKILL at a random moment of each and starts again at
 * once. After every restart the new process must take over and bring everything to rest within a bound.
 * GREENLIGHT_CHAOS_SEED replays a run; GREENLIGHT_CHAOS_ROUNDS (default 6) sets its length.
 */
const SEED = seedFrom("GREENLIGHT_CHAOS_SEED");
const ROUNDS = Number(process.env.GREENLIGHT_CHAOS_ROUNDS ?? 6);
const BASE = 47330;
const AT_REST_MS = 45_000;

let fx: Fixture;
let ci = "";
let oncall = "";
let cookie = "";
let appRows: Record<string, number> = {};
let current: ConsoleProcess | null = null;

beforeAll(async () => {
  console.log(`chaos seed ${SEED} (replay with GREENLIGHT_CHAOS_SEED=${SEED})`);
  fx = await engineFixture(BASE, "gl-chaos");
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
  const admin = { id: 1, username: "ada", role: "admin" as const };
  ci = createApiToken(fx.ctx.db, { name: "ci", role: "release_manager", services: ["*"] }, admin).token;
  oncall = createApiToken(fx.ctx.db, { name: "pager", role: "oncall", services: ["*"] }, admin).token;
  const approver = await createUser(fx.ctx.db, {
    username: "rita",
    role: "release_manager",
    password: "correct horse battery staple",
  });
  cookie = `greenlight_session=${createSession(fx.ctx.db, approver.id).token}`;
  appRows = tableRowCounts(fx.appDbPath);
}, 120_000);
afterAll(async () => {
  await current?.kill();
  await fx?.cleanup();
});

type Action = "deploy" | "deploy-to-gate" | "promote" | "abort" | "rollback";

function choose(random: () => number): { action: Action; id?: string } {
  const waiting = unfinishedDeployments(fx.ctx.db).find((d) => d.status === "awaiting_promotion");
  if (waiting) return { action: random() < 0.5 ? "promote" : "abort", id: waiting.id };
  const serving = servingDeployment(fx.ctx.db, fx.service.name);
  const warm = serving?.status === "succeeded" && serving.fromSlot && !serving.oldSlotRemovedAt;
  const options: Action[] = warm ? ["deploy", "deploy-to-gate", "rollback"] : ["deploy", "deploy-to-gate"];
  return { action: options[Math.floor(random() * options.length)]!, id: serving?.id };
}

async function post(url: string, body: unknown, auth: { token?: string; cookie?: string }) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const res = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, any> | null };
}

/** Runs the action through the console's API; a kill cuts it short, which is the point. */
async function run(c: ConsoleProcess, action: Action, id?: string): Promise<void> {
  const live = (await lbHealth(fx)).version;
  const image = live === "2.0.0" ? "privatetrade:1.9.0" : "privatetrade:2.0.0";
  const api = `${c.url}/api/v1`;
  if (action === "deploy" || action === "deploy-to-gate")
    await post(
      `${api}/services/${fx.service.name}/deployments`,
      { image, autoPromote: action === "deploy" },
      { token: ci },
    );
  else if (action === "promote") await post(`${api}/deployments/${id}/promote`, {}, { token: ci });
  else if (action === "abort") await post(`${api}/deployments/${id}/abort`, {}, { token: ci });
  else {
    const asked = await post(
      `${api}/services/${fx.service.name}/rollback-requests`,
      { reason: "chaos: checkout errors" },
      { token: oncall },
    );
    const requestId = asked.body?.request?.id as string | undefined;
    if (requestId) await post(`${api}/rollback-requests/${requestId}/approve`, {}, { cookie });
  }
}

describe("random SIGKILLs of the console during deployments, each followed by an immediate restart", () => {
  it("after every restart the new process takes over and everything comes to rest: one colour, no orphans, every record final or driven", async () => {
    const random = seededRandom(SEED);
    let port = BASE + 5;
    current = startConsole(fx, port);
    await current.ready();
    const started = Date.now();
    const log: string[] = [];
    for (let round = 1; round <= ROUNDS && Date.now() - started < 80_000; round++) {
      const { action, id } = choose(random);
      const delay = Math.floor(random() * 2500);
      const op = run(current, action, id).catch(() => undefined);
      await sleep(delay);
      const dying = current;
      await dying.kill("SIGKILL");
      port = port === BASE + 5 ? BASE + 6 : BASE + 5;
      current = startConsole(fx, port);
      await op;
      await current.ready();
      const moving = await waitUntilAtRest(fx, current.pid, AT_REST_MS);
      log.push(`round ${round}: ${action} killed after ${delay} ms`);
      const context = `seed ${SEED}, ${log.join("; ")}\n${current.output().slice(-3000)}`;
      expect(moving, context).toEqual([]);
      expect(await brokenInvariants(fx, current.pid, appRows), context).toEqual([]);
    }
    console.log(`chaos seed ${SEED}: ${log.join("; ")}`);
    expect(log.length).toBeGreaterThanOrEqual(3);
  }, 150_000);
});
