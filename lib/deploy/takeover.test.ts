import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/api-tokens/create";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import { startConsole, type ConsoleProcess } from "@/tests/support/console-runner";
import { containersOf, expectServes, lockOf } from "@/tests/support/scenario-helpers";
import { readLease } from "./lease";
import { listSteps } from "./store";
import { FINAL_STATUSES } from "@/lib/db/schema";

const BASE = 47310;
let fx: Fixture;
let token = "";
const consoles: ConsoleProcess[] = [];

function open(port: number, env: Record<string, string> = {}): ConsoleProcess {
  const c = startConsole(fx, port, env);
  consoles.push(c);
  return c;
}

async function until<T>(what: string, fn: () => T | undefined | null | false, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const deploy = (c: ConsoleProcess, image: string) =>
  fetch(`${c.url}/api/v1/services/${fx.service.name}/deployments`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ image }),
  });

const takeovers = () =>
  fx.ctx.db.$client
    .prepare("SELECT reason, details FROM audit_log WHERE action = 'engine.takeover' ORDER BY id")
    .all() as Array<{ reason: string; details: string }>;

const engineInstance = () => readLease(fx.ctx.db, "engine")?.instance ?? "";

beforeAll(async () => {
  fx = await engineFixture(BASE, "gl-takeover");
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
  token = createApiToken(
    fx.ctx.db,
    { name: "ci", role: "release_manager", services: ["*"] },
    { id: 1, username: "ada", role: "admin" },
  ).token;
}, 120_000);
afterAll(async () => {
  for (const c of consoles) await c.kill();
  await fx?.cleanup();
});

describe("engine takeover (scenario 37)", () => {
  let a: ConsoleProcess;
  let b: ConsoleProcess;

  it("a live second process serves but never drives", async () => {
    a = open(BASE + 5, { GREENLIGHT_TEST_FAILPOINTS: "1", GREENLIGHT_FAILPOINT: "health:started" });
    await a.ready();
    expect(engineInstance()).toMatch(new RegExp(`^${a.pid}-`));
    b = open(BASE + 6);
    await b.ready();
    expect(b.output()).toContain("another engine drives deployments");
    const refused = await deploy(b, "privatetrade:2.0.0");
    expect(refused.status).toBe(409);
    expect(JSON.stringify(await refused.json())).toContain(
      `Another Greenlight process (pid ${a.pid}) drives deployments`,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(engineInstance()).toMatch(new RegExp(`^${a.pid}-`));
  }, 60_000);

  it("the standby takes over at once from an engine killed mid-deployment, and recovery closes every record", async () => {
    const started = await deploy(a, "privatetrade:2.0.0");
    expect(started.status).toBe(202);
    const deployment = (await started.json()) as { id: string };
    // The failpoint makes the engine kill itself with SIGKILL as the health step starts.
    expect((await a.exited).signal).toBe("SIGKILL");
    // Final, and its clean-up (which runs after the final state is claimed) done with the lock released.
    const dep = await until("the interrupted deployment to end", () => {
      const row = fx.ctx.db.$client.prepare("SELECT status FROM deployments WHERE id = ?").get(deployment.id) as {
        status: string;
      };
      return FINAL_STATUSES.includes(row.status as never) && !lockOf(fx) && row;
    });
    expect(dep.status).toBe("failed");
    expect(engineInstance()).toMatch(new RegExp(`^${b.pid}-`));
    expect(takeovers().at(-1)?.reason).toBe(
      `took over from pid ${a.pid}: pid ${a.pid} on ${readLease(fx.ctx.db, "engine")?.host} no longer exists`,
    );
    expect(b.output()).toContain(`took over the engine from pid ${a.pid}`);
    const steps = listSteps(fx.ctx.db, deployment.id);
    const health = steps.find((s) => s.phase === "health");
    expect(health?.status).toBe("failed");
    expect(health?.summary).toMatch(/^interrupted by a restart at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(steps.filter((s) => s.status === "running")).toEqual([]);
    expect(lockOf(fx)).toBeNull();
    await expectServes(fx, "blue", "1.9.0");
    expect((await containersOf(fx)).map((c) => `${c.slot}:${c.running}`)).toEqual(["blue:true"]);
  }, 60_000);

  it("a console killed and started again at once takes over at start-up, without waiting for the lease", async () => {
    const before = readLease(fx.ctx.db, "engine")!;
    await b.kill("SIGKILL");
    const c = open(BASE + 7);
    await c.ready();
    expect(engineInstance()).toMatch(new RegExp(`^${c.pid}-`));
    expect(c.output()).not.toContain("another engine drives deployments");
    expect(c.output()).toContain(`took over the engine from pid ${b.pid}`);
    expect(readLease(fx.ctx.db, "engine")!.acquiredAt).toBeLessThan(before.expiresAt);
    await c.kill("SIGTERM");
  }, 60_000);

  it("a lease this host cannot judge (held elsewhere) is waited for, then taken when it expires", async () => {
    const expires = Date.now() + 4000;
    fx.ctx.db.$client
      .prepare(
        "UPDATE leases SET host = 'elsewhere', owner_pid = 4242, instance = '4242-elsewhere', heartbeat_at = ?, expires_at = ? WHERE name = 'engine'",
      )
      .run(Date.now(), expires);
    const d = open(BASE + 8);
    await d.ready();
    expect(d.output()).toContain("another engine drives deployments");
    expect(engineInstance()).toBe("4242-elsewhere");
    await until("the standby to take the expired lease", () => engineInstance().startsWith(`${d.pid}-`), 15_000);
    expect(readLease(fx.ctx.db, "engine")!.acquiredAt).toBeGreaterThanOrEqual(expires);
    expect(takeovers().at(-1)?.reason).toMatch(/^took over from pid 4242: its lease expired \d+ s ago$/);
  }, 60_000);

  it("an engine that finds its lease taken stops driving, stands by, and takes over again when that lease expires", async () => {
    const d = consoles.at(-1)!;
    expect(engineInstance()).toMatch(new RegExp(`^${d.pid}-`));
    const expires = Date.now() + 8000;
    fx.ctx.db.$client
      .prepare(
        "UPDATE leases SET holder = '4343-elsewhere', host = 'elsewhere', owner_pid = 4343, instance = '4343-elsewhere', expires_at = ? WHERE name = 'engine'",
      )
      .run(expires);
    await until("the engine to notice it lost the lease", () => d.output().includes("lost the engine lease"), 10_000);
    expect(engineInstance()).toBe("4343-elsewhere");
    await until(
      "the engine to take the lease back once it expired",
      () => engineInstance().startsWith(`${d.pid}-`),
      20_000,
    );
    expect(readLease(fx.ctx.db, "engine")!.acquiredAt).toBeGreaterThanOrEqual(expires);
  }, 60_000);
});
