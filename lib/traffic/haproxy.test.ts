import fs from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serviceSchema, type ServiceConfig } from "@/lib/config/schema";
import { startBackend, type Backend } from "@/lib/nginx/nginx-test-fixture";
import { TrafficRefusedError } from "./driver";
import { haproxyDriver, type HaproxyDriver } from "./haproxy";
import { parseServersState, parseStat, runtimeCommand } from "./haproxy-runtime";
import { startHaproxyFixture, type HaproxyFixture } from "./haproxy-test-fixture";

// Ports 44500-44502: HAProxy, blue, green.
const LB = 44500;
const BLUE = 44501;
const GREEN = 44502;

let hx: HaproxyFixture;
let blue: Backend;
let green: Backend;

function serviceWith(traffic: HaproxyFixture["traffic"]): ServiceConfig {
  return serviceSchema.parse({
    name: "hx-app",
    image: "hx-app",
    slots: { blue: { port: BLUE }, green: { port: GREEN } },
    traffic,
    health: { verifyDeadlineSeconds: 3 },
  });
}
const driverFor = (traffic = hx.traffic): HaproxyDriver => haproxyDriver(traffic, serviceWith(traffic));

/** One request through HAProxy on a fresh connection: the version that answered and the server HAProxy names. */
function throughHaproxy(pathname = "/api/health"): Promise<{ status: number; version?: string; upstream?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port: LB, path: pathname, agent: false }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => {
        let version: string | undefined;
        try {
          version = (JSON.parse(text) as { version?: string }).version;
        } catch {
          version = undefined;
        }
        resolve({ status: res.statusCode ?? 0, version, upstream: res.headers["x-greenlight-upstream"] as string });
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error("no answer through HAProxy within 10 s")));
    req.on("error", reject);
  });
}

/** Requests HAProxy has in flight to a server (`scur` of `show stat`). */
async function inFlight(server: string): Promise<number> {
  const rows = parseStat(await runtimeCommand(hx.traffic.socket, "show stat"));
  return Number(rows.find((r) => r.pxname === "app" && r.svname === server)?.scur ?? -1);
}

/** Starts a /slow request through HAProxy (blue holds it 1.5 s) and waits until HAProxy counts it on blue. */
async function slowRequestOnBlue() {
  const slow = throughHaproxy("/slow");
  const deadline = Date.now() + 2000;
  while ((await inFlight("blue")) < 1) {
    if (Date.now() > deadline) throw new Error("the slow request never reached blue");
    await new Promise((r) => setTimeout(r, 10));
  }
  return { slow };
}

/** What HAProxy itself says of the two servers, straight from the runtime API. */
async function weights() {
  const states = parseServersState(await runtimeCommand(hx.traffic.socket, "show servers state app"));
  const of = (server: string) => states.find((s) => s.server === server)!;
  return {
    blue: { weight: of("blue").weight, admin: of("blue").adminState },
    green: { weight: of("green").weight, admin: of("green").adminState },
  };
}

beforeAll(async () => {
  blue = await startBackend(BLUE, "1.9.0", { delayMs: 1500 });
  green = await startBackend(GREEN, "2.0.0");
  hx = await startHaproxyFixture({ port: LB, bluePort: BLUE, greenPort: GREEN });
});
afterAll(async () => {
  await hx?.stop();
  await blue?.close();
  await green?.close();
});
beforeEach(async () => {
  // Every test starts from blue live, loaded from a valid config, with no state file written yet.
  hx.writeConfig();
  fs.rmSync(hx.traffic.stateFile, { force: true });
  await hx.restart();
});

describe("the HAProxy driver against a real HAProxy", () => {
  it("switches to green through the runtime API, confirmed by show servers state and by probing through HAProxy", async () => {
    expect(await throughHaproxy()).toMatchObject({ status: 200, version: "1.9.0" });
    const driver = driverFor();
    const result = await driver.apply({ slot: "green", version: "2.0.0", deploymentId: "d1" });
    expect(result.confirmed).toBe(true);
    expect(await weights()).toEqual({ blue: { weight: 0, admin: 0 }, green: { weight: 100, admin: 0 } });
    for (let i = 0; i < 5; i++)
      expect(await throughHaproxy()).toMatchObject({ status: 200, version: "2.0.0", upstream: `127.0.0.1:${GREEN}` });
    const verified = await driver.verify("green", "2.0.0");
    expect(verified.ok, JSON.stringify(verified)).toBe(true);
    expect(await driver.readLive()).toEqual({ slot: "green", port: GREEN });
    // The durable copy is HAProxy's own `show servers state` text, where its config's server-state-file points.
    expect(driver.persistedLive()).toBe("green");
    const saved = parseServersState(fs.readFileSync(hx.traffic.stateFile, "utf8"));
    expect(saved.find((s) => s.server === "green")?.weight).toBe(100);
    expect(saved.find((s) => s.server === "blue")?.weight).toBe(0);
  });

  it("rolls back to blue the same way, and verification of the wrong colour fails", async () => {
    const driver = driverFor();
    await driver.apply({ slot: "green", version: "2.0.0", deploymentId: "d1" });
    const back = await driver.apply({ slot: "blue", version: "1.9.0", deploymentId: "d1" });
    expect(back.confirmed).toBe(true);
    expect(await weights()).toEqual({ blue: { weight: 100, admin: 0 }, green: { weight: 0, admin: 0 } });
    expect(await throughHaproxy()).toMatchObject({ version: "1.9.0", upstream: `127.0.0.1:${BLUE}` });
    expect(driver.persistedLive()).toBe("blue");
    const wrong = await driver.verify("green", "2.0.0", { deadlineMs: 600 });
    expect(wrong.ok).toBe(false);
    expect(wrong.lastVersion).toBe("1.9.0");
  });

  it("a config haproxy -c refuses: nothing is applied, blue still serves, no state file is written", async () => {
    fs.appendFileSync(hx.traffic.config, "backend broken\n  server x 127.0.0.1:1 wieght 5\n");
    const driver = driverFor();
    const error = await driver.apply({ slot: "green", version: "2.0.0", deploymentId: "d1" }).catch((e) => e);
    expect(error).toBeInstanceOf(TrafficRefusedError);
    expect((error as TrafficRefusedError).kind).toBe("haproxy_config_invalid");
    expect((error as Error).message).toMatch(/haproxy -c refused .*haproxy\.cfg/);
    expect((error as Error).message).toMatch(/wieght/);
    expect(await weights()).toEqual({ blue: { weight: 100, admin: 0 }, green: { weight: 0, admin: 0 } });
    expect(await throughHaproxy()).toMatchObject({ version: "1.9.0" });
    expect(fs.existsSync(hx.traffic.stateFile)).toBe(false);
    expect((await driver.checkConfig()).ok).toBe(false);
  });

  it("a server HAProxy does not know is refused by name, and nothing moves", async () => {
    const traffic = { ...hx.traffic, servers: { blue: "blue", green: "greeen" } };
    const error = await driverFor(traffic)
      .apply({ slot: "green", version: "2.0.0", deploymentId: "d1" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(TrafficRefusedError);
    expect((error as TrafficRefusedError).kind).toBe("haproxy_refused");
    expect((error as Error).message).toContain("app/greeen");
    expect(await weights()).toEqual({ blue: { weight: 100, admin: 0 }, green: { weight: 0, admin: 0 } });
    expect(await throughHaproxy()).toMatchObject({ version: "1.9.0" });
  });

  it("HAProxy not running: refused as unreachable, nothing changes when it comes back", async () => {
    const driver = driverFor();
    await hx.restart();
    const pid = hx.pid()!;
    process.kill(pid, "SIGKILL");
    await new Promise((r) => setTimeout(r, 200));
    const error = await driver.apply({ slot: "green", version: "2.0.0", deploymentId: "d1" }).catch((e) => e);
    expect(error).toBeInstanceOf(TrafficRefusedError);
    expect((error as TrafficRefusedError).kind).toBe("haproxy_refused");
    expect((error as Error).message).toMatch(/not reachable/);
    await hx.restart();
    expect(await throughHaproxy()).toMatchObject({ version: "1.9.0" });
  });

  it("a restart of HAProxy keeps the live colour: its config loads the state file the switch wrote", async () => {
    const driver = driverFor();
    await driver.apply({ slot: "green", version: "2.0.0", deploymentId: "d1" });
    const before = hx.pid();
    await hx.restart();
    expect(hx.pid()).not.toBe(before);
    expect(await weights()).toEqual({ blue: { weight: 0, admin: 0 }, green: { weight: 100, admin: 0 } });
    expect(await throughHaproxy()).toMatchObject({ version: "2.0.0", upstream: `127.0.0.1:${GREEN}` });
    expect(await driver.reconcile()).toEqual({ state: "in_sync", live: "green", expected: "green" });
  });

  it("a restart that loses the runtime change is detected and green is applied again", async () => {
    const driver = driverFor();
    await driver.apply({ slot: "green", version: "2.0.0", deploymentId: "d1" });
    // A config that does not load the state file: the restart comes back with the weights it declares.
    hx.writeConfig({ loadState: false });
    await hx.restart();
    expect(await throughHaproxy()).toMatchObject({ version: "1.9.0" });
    expect(await driver.readLive()).toEqual({ slot: "blue", port: BLUE });
    expect(await driver.reconcile()).toEqual({ state: "reapplied", live: "blue", expected: "green" });
    expect(await throughHaproxy()).toMatchObject({ version: "2.0.0", upstream: `127.0.0.1:${GREEN}` });
    expect(await driver.reconcile()).toEqual({ state: "in_sync", live: "green", expected: "green" });
  });

  it("a state file that cannot be written leaves the switch unconfirmed and says a restart would lose it", async () => {
    const traffic = { ...hx.traffic, stateFile: `${hx.dir}/no-such-dir/server-state` };
    const result = await driverFor(traffic).apply({ slot: "green", version: "2.0.0", deploymentId: "d1" });
    expect(result.confirmed).toBe(false);
    expect(result.detail).toMatchObject({ confirmed: true, persisted: false });
    expect(result.summary).toContain(`the state file ${traffic.stateFile} could not be written`);
    // HAProxy itself did move: the switch step is a warning and verification goes through HAProxy as usual.
    expect(await throughHaproxy()).toMatchObject({ version: "2.0.0" });
  });

  it("both colours taking traffic is never read as a live colour; the durable one is applied again", async () => {
    const driver = driverFor();
    await driver.apply({ slot: "green", version: "2.0.0", deploymentId: "d1" });
    // Someone sets blue's weight by hand: HAProxy now sends to both.
    expect((await runtimeCommand(hx.traffic.socket, "set server app/blue weight 100")).trim()).toBe("");
    await expect(driver.readLive()).rejects.toThrow(
      "HAProxy sends hx-app to both blue and green (app/blue weight 100, app/green weight 100)",
    );
    expect(await driver.reconcile()).toEqual({ state: "reapplied", live: null, expected: "green" });
    expect(await driver.readLive()).toEqual({ slot: "green", port: GREEN });
    expect(await weights()).toEqual({ blue: { weight: 0, admin: 0 }, green: { weight: 100, admin: 0 } });
  });

  it("drains blue with HAProxy's drain state: a long request in flight finishes, new ones go to green", async () => {
    const driver = driverFor();
    const { slow } = await slowRequestOnBlue();
    const switchedAt = performance.now();
    await driver.apply({ slot: "green", version: "2.0.0", deploymentId: "d1" });
    const draining = driver.drain("blue", { timeoutMs: 10_000 });
    // While blue drains, HAProxy shows it draining and sends new requests to green only.
    await new Promise((r) => setTimeout(r, 100));
    expect((await weights()).blue.admin & 0x08).toBe(0x08);
    for (let i = 0; i < 3; i++) expect(await throughHaproxy()).toMatchObject({ version: "2.0.0" });
    const drained = await draining;
    const answer = await slow;
    expect(answer).toMatchObject({ status: 200, version: "1.9.0" });
    expect(drained.drained).toBe(true);
    expect(drained.remaining).toBe(0);
    // It waited for the request, not a fixed time: at least most of the 1.5 s the request still had to run.
    expect(performance.now() - switchedAt).toBeGreaterThan(1000);
    expect(drained.waitedMs).toBeGreaterThan(800);
    expect(await inFlight("blue")).toBe(0);
    // The drain is a state HAProxy keeps: a rollback makes blue ready again.
    await driver.apply({ slot: "blue", version: "1.9.0", deploymentId: "d1" });
    expect((await weights()).blue).toEqual({ weight: 100, admin: 0 });
  });

  it("a drain that cannot finish in time says how many requests are still in flight", async () => {
    const driver = driverFor();
    const { slow } = await slowRequestOnBlue();
    await driver.apply({ slot: "green", version: "2.0.0", deploymentId: "d1" });
    const drained = await driver.drain("blue", { timeoutMs: 200 });
    expect(drained).toMatchObject({ drained: false, remaining: 1 });
    expect((await slow).status).toBe(200);
  });
});
