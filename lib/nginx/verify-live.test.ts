import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { masterPid } from "./nginx-ctl";
import { startBlueGreen, verifyBackend, type BlueGreenFixture } from "./nginx-test-fixture";
import { switchUpstream } from "./switch-upstream";
import { readField, verifyThroughNginx } from "./verify-live";

const NGINX_PORT = 42030;
const BLUE = 42031;
const GREEN = 42032;
const SERVICE = "gltest-c-verify";

let fx: BlueGreenFixture;

const verify = (version: string, port: number | undefined, deadlineMs: number) =>
  verifyBackend(fx, { version, port, deadlineMs, intervalMs: 50 });

beforeAll(async () => {
  fx = await startBlueGreen({ port: NGINX_PORT, service: SERVICE, bluePort: BLUE, greenPort: GREEN });
});

afterAll(async () => {
  const master = fx ? masterPid(fx.nginx) : null;
  if (master !== null) process.kill(master, "SIGCONT");
  await fx?.stop();
});

describe("verifyThroughNginx", () => {
  it("detects a reload that did not take effect, then passes once it does", async () => {
    const master = masterPid(fx.nginx);
    expect(master).not.toBeNull();
    // A frozen master cannot act on the reload signal: the file says green, old workers still serve blue.
    process.kill(master!, "SIGSTOP");
    let result;
    try {
      result = await switchUpstream({
        nginx: fx.nginx,
        service: SERVICE,
        slot: "green",
        port: GREEN,
        version: "2.0.0",
      });
      const failed = await verify("2.0.0", GREEN, 1500);
      expect(failed.ok).toBe(false);
      expect(failed.attempts).toBeGreaterThan(1);
      expect(failed).toMatchObject({ lastStatus: 200, lastVersion: "1.9.0", lastUpstream: `127.0.0.1:${BLUE}` });
    } finally {
      process.kill(master!, "SIGCONT");
    }
    expect(result.reloadConfirmed).toBe(false);
    const passed = await verify("2.0.0", GREEN, 5000);
    expect(passed).toMatchObject({ ok: true, lastVersion: "2.0.0", lastUpstream: `127.0.0.1:${GREEN}` });
  });

  it("fails when the version matches but another upstream answered", async () => {
    const wrongPort = await verify("2.0.0", BLUE, 2000);
    expect(wrongPort).toMatchObject({ ok: false, lastVersion: "2.0.0", lastUpstream: `127.0.0.1:${GREEN}` });
    expect(wrongPort.lastError).toBeUndefined();
    const anyPort = await verify("2.0.0", undefined, 2000);
    expect(anyPort, JSON.stringify(anyPort)).toMatchObject({ ok: true, attempts: 3 });
  });

  it("reports the connection error when nothing listens", async () => {
    const result = await verifyThroughNginx({
      lbUrl: "http://127.0.0.1:42039",
      healthPath: "/api/health",
      versionField: "version",
      expectedVersion: "2.0.0",
      deadlineMs: 300,
      intervalMs: 50,
    });
    expect(result.ok).toBe(false);
    expect(result.lastStatus).toBeUndefined();
    expect(result.lastError).toMatch(/fetch failed|ECONNREFUSED/);
  });
});

describe("readField", () => {
  it("reads plain and dotted fields", () => {
    expect(readField({ version: "1.0" }, "version")).toBe("1.0");
    expect(readField({ build: { version: 2 } }, "build.version")).toBe("2");
    expect(readField({ build: null }, "build.version")).toBeUndefined();
    expect(readField(undefined, "version")).toBeUndefined();
    expect(readField({ version: { x: 1 } }, "version")).toBeUndefined();
  });
});
