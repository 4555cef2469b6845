import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRunning, masterPid, NginxError, stopNginx, testConfig } from "./nginx-ctl";
import { startBlueGreen, verifyBackend, type BlueGreenFixture } from "./nginx-test-fixture";
import { backupFile, NginxConfigError, readLiveUpstream, switchUpstream, upstreamFile } from "./switch-upstream";
import { upstreamName } from "./render-upstream";

const NGINX_PORT = 42010;
const BLUE = 42011;
const GREEN = 42012;
const SERVICE = "gltest-c-app";

let fx: BlueGreenFixture;

const verify = (version: string, port: number, deadlineMs = 5000) =>
  verifyBackend(fx, { version, port, deadlineMs, intervalMs: 20 });

beforeAll(async () => {
  fx = await startBlueGreen({ port: NGINX_PORT, service: SERVICE, bluePort: BLUE, greenPort: GREEN });
});

afterAll(() => fx?.stop());

describe("switchUpstream against a real nginx", () => {
  it("serves blue first, then green after a verified switch, and back", async () => {
    expect((await verify("1.9.0", BLUE)).ok).toBe(true);
    const started = performance.now();
    const result = await switchUpstream({
      nginx: fx.nginx,
      service: SERVICE,
      slot: "green",
      port: GREEN,
      version: "2.0.0",
      deploymentId: "d1",
    });
    const verified = await verify("2.0.0", GREEN);
    const switchToVerifiedMs = performance.now() - started;
    expect(verified).toMatchObject({
      ok: true,
      lastStatus: 200,
      lastVersion: "2.0.0",
      lastUpstream: `127.0.0.1:${GREEN}`,
    });
    expect(result.reloadConfirmed).toBe(true);
    expect(result.previous).toContain(`server 127.0.0.1:${BLUE}`);
    console.log(
      `[measure] nginx -t ${result.testMs.toFixed(1)} ms, nginx -s reload ${result.reloadSignalMs.toFixed(1)} ms, reload until old workers stopped accepting ${result.reloadMs.toFixed(1)} ms, switch-to-verified ${switchToVerifiedMs.toFixed(1)} ms (${verified.attempts} probes)`,
    );

    expect(await readLiveUpstream(fx.nginx, SERVICE)).toEqual({
      service: SERVICE,
      slot: "green",
      port: GREEN,
      version: "2.0.0",
      deploymentId: "d1",
    });
    // Only the service's file is in the include directory; the backup lives outside it.
    expect(fs.readdirSync(fx.nginx.upstreamDir)).toEqual([`${SERVICE}.conf`]);
    expect(fs.readFileSync(backupFile(fx.nginx.upstreamDir, SERVICE), "utf8")).toBe(result.previous);
    expect(path.dirname(backupFile(fx.nginx.upstreamDir, SERVICE))).not.toBe(path.resolve(fx.nginx.upstreamDir));

    await switchUpstream({
      nginx: fx.nginx,
      service: SERVICE,
      slot: "blue",
      port: BLUE,
      version: "1.9.0",
      deploymentId: "d2",
    });
    expect((await verify("1.9.0", BLUE)).ok).toBe(true);
  });

  it("does not reload and restores the previous file when nginx -t fails (broken main config)", async () => {
    const goodMain = fs.readFileSync(fx.nginx.mainConfig, "utf8");
    const before = fs.readFileSync(upstreamFile(fx.nginx.upstreamDir, SERVICE), "utf8");
    const master = masterPid(fx.nginx);
    fs.appendFileSync(fx.nginx.mainConfig, "\nbogus_directive on;\n");
    try {
      const attempt = switchUpstream({
        nginx: fx.nginx,
        service: SERVICE,
        slot: "green",
        port: GREEN,
        version: "2.0.0",
      });
      await expect(attempt).rejects.toBeInstanceOf(NginxConfigError);
      await expect(attempt).rejects.toThrow(/unknown directive "bogus_directive"/);
    } finally {
      fs.writeFileSync(fx.nginx.mainConfig, goodMain);
    }
    expect(fs.readFileSync(upstreamFile(fx.nginx.upstreamDir, SERVICE), "utf8")).toBe(before);
    expect(masterPid(fx.nginx)).toBe(master);
    const still = await verify("1.9.0", BLUE);
    expect(still).toMatchObject({ ok: true, lastUpstream: `127.0.0.1:${BLUE}` });
    expect((await testConfig(fx.nginx)).ok).toBe(true);
  });

  it("writes JSON access log lines with the documented fields", async () => {
    await fetch(`${fx.nginx.lbUrl}/api/health?x="quoted"`).then((r) => r.text());
    await fetch(`${fx.nginx.lbUrl}/missing`).then((r) => r.text());
    const lines = fs.readFileSync(fx.accessLog, "utf8").trim().split("\n");
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(entry)).toEqual([
        "time",
        "ts",
        "status",
        "request_time",
        "upstream_addr",
        "upstream_status",
        "upstream",
        "method",
        "uri",
        "bytes",
      ]);
      expect(typeof entry.ts).toBe("number");
      expect(typeof entry.status).toBe("number");
      expect(typeof entry.request_time).toBe("number");
      expect(typeof entry.bytes).toBe("number");
      expect(entry.upstream_addr).toMatch(/^127\.0\.0\.1:420(11|12)$/);
      expect(entry.upstream).toBe(upstreamName(SERVICE));
    }
    expect(JSON.parse(lines.at(-1) ?? "{}")).toMatchObject({
      method: "GET",
      uri: "/missing",
      status: 200,
      upstream_status: "200",
    });
  });

  it("restores the previous file when nginx is not running to be reloaded", async () => {
    const before = fs.readFileSync(upstreamFile(fx.nginx.upstreamDir, SERVICE), "utf8");
    expect(await stopNginx(fx.nginx, { timeoutMs: 5000 })).toBe(true);
    expect(isRunning(fx.nginx)).toBe(false);
    const attempt = switchUpstream({ nginx: fx.nginx, service: SERVICE, slot: "green", port: GREEN, version: "2.0.0" });
    await expect(attempt).rejects.toBeInstanceOf(NginxError);
    await expect(attempt).rejects.toThrow(/not running.*previous upstream file was restored/);
    expect(fs.readFileSync(upstreamFile(fx.nginx.upstreamDir, SERVICE), "utf8")).toBe(before);
  });
});
