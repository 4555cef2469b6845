// Greenlight's own health: /api/healthz and /api/readyz on real console processes (tests/support/console-process.ts:
// start() with the engine lease, recovery and collectors) over a real stack (its own nginx, the machine's Docker).
import Database from "better-sqlite3";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDb } from "@/lib/auth/test-db";
import type { Db } from "@/lib/db/client";
import { checkDatabase } from "@/lib/health/readiness";
import { startNginx, stopNginx } from "@/lib/nginx/nginx-ctl";
import { startConsole, type ConsoleProcess } from "@/tests/support/console-runner";
import { engineFixture, type Fixture } from "@/tests/support/engine-fixture";

const BASE = 47710;
const CHECKS = ["collectors", "database", "docker", "engine", "nginx"];
let fx: Fixture;
const consoles: ConsoleProcess[] = [];

type Probe = { status: number; body: { status: string; checks: Record<string, { ok: boolean; detail: string }> } };

async function probe(c: ConsoleProcess, route: "healthz" | "readyz"): Promise<Probe> {
  const res = await fetch(`${c.url}/api/${route}`, { signal: AbortSignal.timeout(10_000) });
  expect(res.headers.get("cache-control")).toBe("no-store");
  return { status: res.status, body: (await res.json()) as Probe["body"] };
}

async function until(c: ConsoleProcess, what: string, ok: (p: Probe) => boolean, ms = 20_000): Promise<Probe> {
  const end = Date.now() + ms;
  let last: Probe | undefined;
  while (Date.now() < end) {
    last = await probe(c, "readyz");
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`readyz never showed ${what}; last answer: ${JSON.stringify(last)}`);
}

async function open(port: number, env: Record<string, string> = {}): Promise<ConsoleProcess> {
  const c = startConsole(fx, port, env);
  consoles.push(c);
  await c.ready();
  return c;
}

beforeAll(async () => {
  fx = await engineFixture(BASE, "gl-readyz");
}, 120_000);
afterAll(async () => {
  for (const c of consoles) await c.kill();
  await fx?.cleanup();
});

describe("health probes of Greenlight itself", () => {
  let engine: ConsoleProcess;

  it("the driving console is live and ready, without a session: every check passes", async () => {
    engine = await open(BASE + 5);
    expect(await probe(engine, "healthz")).toEqual({ status: 200, body: { status: "ok" } });
    const ready = await until(engine, "ready", (p) => p.status === 200);
    expect(ready.body.status).toBe("ready");
    expect(Object.keys(ready.body.checks).sort()).toEqual(CHECKS);
    for (const name of CHECKS) expect(ready.body.checks[name]!.ok, name).toBe(true);
    expect(ready.body.checks.engine!.detail).toContain(`pid ${engine.pid}`);
    expect(JSON.stringify(ready.body)).not.toContain(fx.root);
  }, 60_000);

  it("a standby console is live but not ready: another process holds the engine lease, no collectors here", async () => {
    const standby = await open(BASE + 6);
    expect(await probe(standby, "healthz")).toEqual({ status: 200, body: { status: "ok" } });
    const answer = await probe(standby, "readyz");
    expect(answer.status).toBe(503);
    expect(answer.body.status).toBe("not_ready");
    expect(answer.body.checks.engine).toEqual({
      ok: false,
      detail: expect.stringContaining(`another Greenlight process (pid ${engine.pid}) holds the engine lease`),
    });
    expect(answer.body.checks.collectors!.ok).toBe(false);
    expect(answer.body.checks.database!.ok).toBe(true);
    await standby.kill();
  }, 60_000);

  it("readiness fails while nginx is stopped and passes again once it runs", async () => {
    expect(await stopNginx(fx.config.nginx)).toBe(true);
    try {
      const down = await until(engine, "nginx down", (p) => p.body.checks.nginx?.ok === false);
      expect(down.status).toBe(503);
      expect(down.body.checks.nginx!.detail).toContain("nginx is not running");
      expect((await probe(engine, "healthz")).status).toBe(200);
    } finally {
      await startNginx(fx.config.nginx);
    }
    await until(engine, "ready again", (p) => p.status === 200);
  }, 60_000);

  it("says the Docker engine is unreachable when DOCKER_HOST names a socket that does not exist", async () => {
    await engine.kill();
    const socket = path.join(fx.root, "no-such-docker.sock");
    const blind = await open(BASE + 7, { DOCKER_HOST: `unix://${socket}` });
    expect(await probe(blind, "healthz")).toEqual({ status: 200, body: { status: "ok" } });
    const answer = await until(
      blind,
      "the engine lease taken over",
      (p) => !!p.body.checks.engine?.detail.includes("holds"),
    );
    expect(answer.status).toBe(503);
    expect(answer.body.checks.engine).toEqual({
      ok: false,
      detail: expect.stringContaining(
        `pid ${blind.pid}) holds the engine lease, but its recovery after start-up has not finished`,
      ),
    });
    expect(blind.output()).toContain("recovery could not finish and is retried in 5 s");
    expect(answer.body.checks.docker).toEqual({
      ok: false,
      detail: "the Docker engine is unreachable; is dockerd running, and does DOCKER_HOST name its socket?",
    });
    expect(answer.body.checks.nginx!.ok).toBe(true);
    const collectors = await until(blind, "collectors failing", (p) => p.body.checks.collectors?.ok === false);
    expect(collectors.body.checks.collectors!.detail).toContain("dockerStats");
    expect(JSON.stringify(collectors.body)).not.toContain("no-such-docker.sock");

    // The engine comes back at that address (a relay to the machine's engine): recovery is retried, all pass.
    const relay = net.createServer((c) => c.pipe(net.connect("/var/run/docker.sock")).pipe(c));
    await new Promise<void>((resolve) => relay.listen(socket, resolve));
    try {
      const back = await until(blind, "ready once Docker answers", (p) => p.status === 200, 30_000);
      expect(back.body.checks.docker).toEqual({ ok: true, detail: "the Docker engine answers" });
      expect(back.body.checks.engine!.detail).toContain("drives deployments");
    } finally {
      relay.close();
    }
  }, 90_000);
});

describe("the database check", () => {
  it("fails, naming SQLite's code, on a connection that cannot write", () => {
    const store = tempDb();
    const readonly = new Database(path.join(store.dir, "greenlight.db"), { readonly: true });
    try {
      expect(checkDatabase(store.db)).toEqual({ ok: true, detail: "Greenlight's SQLite database takes writes" });
      const check = checkDatabase({ $client: readonly } as unknown as Db);
      expect(check.ok).toBe(false);
      expect(check.detail).toContain("SQLITE_READONLY");
    } finally {
      readonly.close();
      store.close();
    }
  });
});
