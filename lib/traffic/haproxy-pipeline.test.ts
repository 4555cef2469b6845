import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findContainers } from "@/lib/docker/containers";
import { LABELS } from "@/lib/docker/labels";
import { failureOfDeployment } from "@/lib/deploy/failure-kinds";
import { deployLockName, readLease } from "@/lib/deploy/lease";
import { promoteDeployment } from "@/lib/deploy/promote";
import { retrySwitch } from "@/lib/deploy/retry-switch";
import { rollbackDeployment } from "@/lib/deploy/rollback";
import { getDeployment, listDeployments, listSteps } from "@/lib/deploy/store";
import { checkLiveColour } from "@/lib/incidents/check-live";
import { upstreamFile } from "@/lib/nginx/switch-upstream";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import { parseServersState, runtimeCommand } from "./haproxy-runtime";
import { startHaproxyFixture, type HaproxyFixture } from "./haproxy-test-fixture";

// Ports 44510-44512: the stack's nginx, blue and green; 44520: HAProxy in front of blue and green.
const BASE = 44510;
const ROOT = path.resolve(__dirname, "../..");

let hx: HaproxyFixture;
let fx: Fixture;

/** What users get through HAProxy: status, version, and the server HAProxy says answered. */
async function throughHaproxy() {
  const res = await fetch(`${hx.traffic.lbUrl}/api/health`, { signal: AbortSignal.timeout(3000) });
  const body = (await res.json().catch(() => ({}))) as { version?: string };
  return { status: res.status, version: body.version, upstream: res.headers.get("x-greenlight-upstream") };
}
const served = (slot: "blue" | "green", version: string) => ({
  status: 200,
  version,
  upstream: `127.0.0.1:${fx.service.slots[slot].port}`,
});

async function servers() {
  const states = parseServersState(await runtimeCommand(hx.traffic.socket, "show servers state app"));
  return Object.fromEntries(states.map((s) => [s.server, { weight: s.weight, admin: s.adminState }]));
}

async function containersBySlot() {
  const all = await findContainers({ service: fx.service.name, all: true });
  return all.map((c) => `${c.labels[LABELS.slot]}:${c.labels[LABELS.version]}:${c.running ? "up" : c.state}`).sort();
}

/** scripts/engine.ts as a separate Greenlight process reading the stack's config file. */
function engine(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => {
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

beforeAll(async () => {
  // Nothing is deployed yet: HAProxy's config sends to blue, where the first install goes.
  hx = await startHaproxyFixture({ port: 44520, bluePort: BASE + 1, greenPort: BASE + 2 });
  fx = await engineFixture(BASE, "gl-hapipe", (svc) => {
    svc.traffic = { ...hx.traffic };
    svc.container.stopGraceSeconds = 2;
  });
});
afterAll(async () => {
  await fx?.cleanup();
  await hx?.stop();
});

describe("deployments of a service behind HAProxy", () => {
  it("installs 1.9.0 on blue, then switches 2.0.0 to green on Promote, through HAProxy and never nginx", async () => {
    const nginxUpstream = () => fs.readFileSync(upstreamFile(fx.config.nginx.upstreamDir, fx.service.name), "utf8");
    const nginxBefore = nginxUpstream();
    const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
    expect(first.status, first.error ?? "").toBe("succeeded");
    expect(await throughHaproxy()).toEqual(served("blue", "1.9.0"));

    const dep = await deployAndWait(fx, "privatetrade:2.0.0");
    expect(dep.status, dep.error ?? "").toBe("awaiting_promotion");
    expect(await throughHaproxy()).toEqual(served("blue", "1.9.0"));
    await promoteDeployment(fx.ctx, dep.id, "rm").pipeline;
    const done = getDeployment(fx.ctx.db, dep.id);
    expect(done.status, done.error ?? "").toBe("succeeded");
    for (let i = 0; i < 4; i++) expect(await throughHaproxy()).toEqual(served("green", "2.0.0"));
    expect(await servers()).toEqual({ blue: { weight: 0, admin: 0 }, green: { weight: 100, admin: 0 } });
    const steps = listSteps(fx.ctx.db, dep.id);
    expect(steps.find((s) => s.phase === "switch")?.summary).toMatch(/^HAProxy now sends gl-hapipe to green/);
    expect(steps.find((s) => s.phase === "verify")?.summary).toMatch(/^HAProxy serves 2\.0\.0 from green/);
    expect(steps.find((s) => s.phase === "preflight")?.detail).toMatchObject({
      checks: expect.arrayContaining([expect.objectContaining({ id: "haproxy", status: "pass" })]),
    });
    // The state file HAProxy loads on a restart says green; nginx's upstream file was never written.
    expect(
      parseServersState(fs.readFileSync(hx.traffic.stateFile, "utf8")).find((s) => s.server === "green"),
    ).toMatchObject({
      weight: 100,
    });
    expect(nginxUpstream()).toBe(nginxBefore);
  }, 120_000);

  it("rolls back through HAProxy: blue serves, green is drained in HAProxy and its container removed", async () => {
    const dep = listDeployments(fx.ctx.db, fx.service.name, 1)[0]!;
    const back = await rollbackDeployment(fx.ctx, { deploymentId: dep.id, reason: "test", by: "oncall" });
    expect(back.status).toBe("rolled_back");
    expect(await throughHaproxy()).toEqual(served("blue", "1.9.0"));
    const now = await servers();
    expect(now.blue).toEqual({ weight: 100, admin: 0 });
    expect(now.green!.weight).toBe(0);
    expect(now.green!.admin & 0x08).toBe(0x08);
    expect(await containersBySlot()).toEqual(["blue:1.9.0:up"]);
  }, 60_000);

  it("haproxy -c refuses the config at the switch: kept for a retry, blue serves, the retry switches once fixed", async () => {
    const dep = await deployAndWait(fx, "privatetrade:2.0.0");
    expect(dep.status, dep.error ?? "").toBe("awaiting_promotion");
    const good = fs.readFileSync(hx.traffic.config, "utf8");
    fs.appendFileSync(hx.traffic.config, "frontend broken\n  bind 127.0.0.1:44521\n  nonsense here\n");
    try {
      await promoteDeployment(fx.ctx, dep.id, "rm").pipeline;
      const kept = getDeployment(fx.ctx.db, dep.id);
      expect(kept.status, kept.error ?? "").toBe("switch_failed");
      expect(kept.switchedAt).toBeNull();
      expect(kept.error).toMatch(/haproxy -c refused .*haproxy\.cfg.*nonsense/);
      const failure = failureOfDeployment(kept, listSteps(fx.ctx.db, dep.id));
      expect(failure?.kind).toBe("haproxy_config_invalid");
      expect(failure?.nextStep).toMatch(/^Run `haproxy -c -f` on HAProxy's configuration .* then Retry the switch/);
      expect(await throughHaproxy()).toEqual(served("blue", "1.9.0"));
      expect((await servers()).blue).toEqual({ weight: 100, admin: 0 });
    } finally {
      fs.writeFileSync(hx.traffic.config, good);
    }
    await retrySwitch(fx.ctx, dep.id, "rm").pipeline;
    const done = getDeployment(fx.ctx.db, dep.id);
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect(await throughHaproxy()).toEqual(served("green", "2.0.0"));
    // Back to blue for what follows.
    await rollbackDeployment(fx.ctx, { deploymentId: dep.id, reason: "test", by: "oncall" });
    expect(await throughHaproxy()).toEqual(served("blue", "1.9.0"));
  }, 120_000);
});

describe("a Greenlight process killed mid-switch behind HAProxy, then a restart", () => {
  it.each([
    // HAProxy already sends to green, the state file not yet written.
    ["switch:haproxy-applied"],
    // HAProxy sends to green and the state file says so.
    ["switch:reloaded"],
  ])(
    "killed at %s: recovery rolls back through HAProxy and 1.9.0 serves alone",
    async (point) => {
      const crashed = await engine(["deploy", fx.service.name, "privatetrade:2.0.0", "--auto-promote"], {
        GREENLIGHT_TEST_FAILPOINTS: "1",
        GREENLIGHT_FAILPOINT: point,
      });
      expect(crashed.signal, crashed.out).toBe("SIGKILL");
      const interrupted = listDeployments(fx.ctx.db, fx.service.name, 1)[0]!;
      expect(interrupted.status).toBe("running");
      // The dead process left HAProxy on green.
      expect(await throughHaproxy()).toEqual(served("green", "2.0.0"));

      const restarted = await engine(["recover"]);
      expect(restarted.code, restarted.out).toBe(0);
      const after = getDeployment(fx.ctx.db, interrupted.id);
      expect(after.status, after.error ?? "").toBe("rolled_back");
      expect(await throughHaproxy()).toEqual(served("blue", "1.9.0"));
      expect((await servers()).blue).toEqual({ weight: 100, admin: 0 });
      expect(
        parseServersState(fs.readFileSync(hx.traffic.stateFile, "utf8")).find((s) => s.server === "blue"),
      ).toMatchObject({
        weight: 100,
      });
      expect(await containersBySlot()).toEqual(["blue:1.9.0:up"]);
      expect(readLease(fx.ctx.db, deployLockName(fx.service.name))).toBeNull();
    },
    120_000,
  );
});

describe("HAProxy restarted outside Greenlight", () => {
  it("a restart that lost green is found by the engine's live check, which sends traffic to green again", async () => {
    const dep = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    expect(await throughHaproxy()).toEqual(served("green", "2.0.0"));
    // A config that does not load the state file: HAProxy comes back with its config's weights, blue's.
    hx.writeConfig({ loadState: false });
    try {
      await hx.restart();
      expect(await throughHaproxy()).toEqual(served("blue", "1.9.0"));
      const check = await checkLiveColour(fx.ctx, fx.service);
      expect(check).toEqual({ ok: true });
      for (let i = 0; i < 3; i++) expect(await throughHaproxy()).toEqual(served("green", "2.0.0"));
      expect(await servers()).toEqual({ blue: { weight: 0, admin: 0 }, green: { weight: 100, admin: 0 } });
    } finally {
      hx.writeConfig();
    }
    // HAProxy down: the check says so and that the load balancer, not Docker, could not be reached.
    await hx.halt();
    try {
      const down = await checkLiveColour(fx.ctx, fx.service);
      expect(down).toMatchObject({ ok: false, docker: true, nginx: false });
      expect(down.ok === false && down.problem).toMatch(
        /^HAProxy could not be read: HAProxy's runtime API at .* is not reachable \(ENOENT\)/,
      );
    } finally {
      await hx.start();
    }
    // Started again from the config that loads the state file: green, as Greenlight left it.
    expect(await throughHaproxy()).toEqual(served("green", "2.0.0"));
  }, 120_000);
});
