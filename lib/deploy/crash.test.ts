import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import path from "node:path";
import { deployAndWait, engineFixture, lbHealth, type Fixture } from "@/tests/support/engine-fixture";
import { findContainers } from "@/lib/docker/containers";
import { LABELS } from "@/lib/docker/labels";
import { listDeployments } from "./store";
import { readLease, deployLockName } from "./lease";

const ROOT = path.resolve(__dirname, "../..");

let fx: Fixture;

/** Runs scripts/engine.ts as a separate Greenlight process; resolves with how it ended. */
function engine(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/engine.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, GREENLIGHT_CONFIG: fx.configFile, GREENLIGHT_DATA_DIR: fx.dataDir, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code, signal) => resolve({ code, signal, out }));
  });
}

async function containersBySlot() {
  const all = await findContainers({ service: fx.service.name, all: true });
  return all.map((c) => `${c.labels[LABELS.slot]}:${c.labels[LABELS.version]}:${c.running ? "up" : c.state}`).sort();
}

beforeAll(async () => {
  fx = await engineFixture(45010, "gl-crash");
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status).toBe("succeeded");
});
afterAll(async () => {
  await fx?.cleanup();
});

describe("SIGKILL of a real Greenlight process at each step, then a restart", () => {
  it.each([
    ["start_target:done", "failed", "1.9.0"],
    ["switch:before-reload", "rolled_back", "1.9.0"],
    ["switch:reloaded", "rolled_back", "1.9.0"],
  ])("killed at %s: recovery leaves it %s and %s serving alone", async (point, status, serving) => {
    const crashed = await engine(["deploy", fx.service.name, "privatetrade:2.0.0", "--auto-promote"], {
      GREENLIGHT_TEST_FAILPOINTS: "1",
      GREENLIGHT_FAILPOINT: point,
    });
    expect(crashed.signal, crashed.out).toBe("SIGKILL");
    const interrupted = listDeployments(fx.ctx.db, fx.service.name, 1)[0]!;
    expect(["running", "rolling_back"]).toContain(interrupted.status);

    const restarted = await engine(["recover"]);
    expect(restarted.code, restarted.out).toBe(0);

    const after = listDeployments(fx.ctx.db, fx.service.name, 1)[0]!;
    expect(after.id).toBe(interrupted.id);
    expect(after.status).toBe(status);
    const served = await lbHealth(fx);
    expect(served).toMatchObject({
      status: 200,
      version: serving,
      upstream: `127.0.0.1:${fx.service.slots.blue.port}`,
    });
    expect(await containersBySlot()).toEqual(["blue:1.9.0:up"]);
    expect(readLease(fx.ctx.db, deployLockName(fx.service.name))).toBeNull();
  });

  it("killed during the watch window: recovery watches again and finishes on green", async () => {
    fx.service.watch.bakeSeconds = 2;
    const env = { GREENLIGHT_TEST_FAILPOINTS: "1", GREENLIGHT_FAILPOINT: "watch:started" };
    // The child reads the config file, so the bake window must be in the file too.
    const fs = await import("node:fs");
    const text = fs.readFileSync(fx.configFile, "utf8").replace(/bakeSeconds: 0/, "bakeSeconds: 2");
    fs.writeFileSync(fx.configFile, text);
    const crashed = await engine(["deploy", fx.service.name, "privatetrade:2.0.0", "--auto-promote"], env);
    expect(crashed.signal, crashed.out).toBe("SIGKILL");
    const restarted = await engine(["recover"]);
    expect(restarted.code, restarted.out).toBe(0);
    expect(restarted.out).toContain("resumed_watch");
    const after = listDeployments(fx.ctx.db, fx.service.name, 1)[0]!;
    expect(after.status, after.error ?? "").toBe("succeeded");
    expect(await lbHealth(fx)).toMatchObject({
      status: 200,
      version: "2.0.0",
      upstream: `127.0.0.1:${fx.service.slots.green.port}`,
    });
    expect(await containersBySlot()).toEqual(["blue:1.9.0:up", "green:2.0.0:up"]);
  });
});

describe("a first install killed mid-switch (nothing to roll back to)", () => {
  let first: Fixture;
  beforeAll(async () => {
    first = await engineFixture(45090, "gl-crash-first");
  });
  afterAll(async () => {
    await first?.cleanup();
  });

  it("is finished by recovery when nginx serves it, and its lock is free", async () => {
    const env = { GREENLIGHT_CONFIG: first.configFile, GREENLIGHT_DATA_DIR: first.dataDir };
    const crashed = await engine(["deploy", first.service.name, "privatetrade:1.9.0", "--auto-promote"], {
      ...env,
      GREENLIGHT_TEST_FAILPOINTS: "1",
      GREENLIGHT_FAILPOINT: "switch:reloaded",
    });
    expect(crashed.signal, crashed.out).toBe("SIGKILL");
    const restarted = await engine(["recover"], env);
    expect(restarted.code, restarted.out).toBe(0);
    expect(restarted.out).toContain('"action":"finished"');
    const dep = listDeployments(first.ctx.db, first.service.name, 1)[0]!;
    expect(dep.status).toBe("succeeded");
    expect(readLease(first.ctx.db, deployLockName(first.service.name))).toBeNull();
    expect(await lbHealth(first)).toMatchObject({ status: 200, version: "1.9.0" });
  });
});
