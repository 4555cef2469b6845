import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDeployments } from "@/lib/deploy/store";
import { ciToken } from "@/tests/support/api-token";
import { lastLine, runCli } from "@/tests/support/cli-run";
import { nextBuildWithV1, startCliTarget } from "@/tests/support/cli-target";
import { engineFixture, lbHealth, type Fixture } from "@/tests/support/engine-fixture";

let fx: Fixture;
let api: Awaited<ReturnType<typeof startCliTarget>>;
let token = "";

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { url: api.url, token, interval: 200, timeout: 120, env });
const deploy = (image: string, ...flags: string[]) =>
  cli(["deploy", "--service", fx.service.name, "--image", image, ...flags]);

beforeAll(async () => {
  fx = await engineFixture(51020, "gl-cli");
  api = await startCliTarget(fx, 51024);
  token = ciToken(fx);
}, 120_000);
afterAll(async () => {
  await api?.close();
  await fx?.cleanup();
});

describe(`greenlight CLI against ${nextBuildWithV1() ? "next start (a build exists)" : "the v1 handlers on a local HTTP server (no build)"}`, () => {
  it("deploy --auto-promote --wait prints the phases and exits 0 on success", async () => {
    const r = await deploy("privatetrade:1.9.0", "--auto-promote", "--wait");
    expect(r.code, r.err + r.out).toBe(0);
    for (const phase of ["pull", "preflight", "backup", "start_target", "health", "smoke", "switch", "verify", "watch"])
      expect(r.out).toMatch(new RegExp(`(ok  |skip|warn) ${phase}`));
    expect(lastLine(r.out)).toMatch(/^succeeded: gl-cli 1\.9\.0 serves from blue \(deployment \S+\)\.$/);
    expect((await lbHealth(fx)).version).toBe("1.9.0");
    expect(r.out + r.err).not.toContain(token);
  }, 150_000);

  it("a redeploy of the live version is a no-op; without --wait deploy stops at the gate; promote --wait finishes", async () => {
    const noop = await deploy("privatetrade:1.9.0");
    expect(noop.code).toBe(0);
    expect(noop.out).toMatch(/already serves 1\.9\.0/);
    const gated = await deploy("privatetrade:2.0.0");
    expect(gated.code, gated.err).toBe(0);
    const id = gated.out.match(/greenlight promote (\S+)/)?.[1];
    expect(id).toBe(listDeployments(fx.ctx.db, fx.service.name)[0]?.id);
    const busy = await deploy("privatetrade:2.0.0");
    expect(busy.code).toBe(2);
    expect(lastLine(busy.err)).toMatch(
      /^aborted: 409 conflict: .*\(lock held by .*\)\. Next step: Wait for that deployment to finish, or abort it/,
    );
    const status = await cli(["status", id!]);
    expect(status).toMatchObject({ code: 0 });
    expect(status.out).toMatch(/awaiting_promotion/);
    const promoted = await cli(["promote", id!, "--wait"]);
    expect(promoted.code, promoted.err).toBe(0);
    expect(promoted.out).toMatch(/succeeded: gl-cli 2\.0\.0 serves from green/);
  }, 150_000);

  it("rollback asks for approval while blue is warm and reports the request", async () => {
    const r = await cli(["rollback", "--service", fx.service.name, "--reason", "errors since 2.0.0 went live"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Rollback request r\S+ for gl-cli waits for approval/);
    const again = await cli(["rollback", "--service", fx.service.name, "--reason", "errors since 2.0.0 went live"]);
    expect(again.code).toBe(2);
    // The two-person rule counts the token's owner as the one who asked.
    expect(again.err).toMatch(/409 conflict: ada already asked/);
  }, 60_000);
  it("exits non-zero with the reason when the deployment fails, when refused, and without a token", async () => {
    const failed = await deploy("privatetrade:2.0.0", "--version", "9.9.9", "--wait");
    expect(failed.code).toBe(1);
    expect(lastLine(failed.err)).toMatch(
      /^failed: The image reports 2\.0\.0; this release expects 9\.9\.9 \(is the tag right\?\)\..* \(deployment \S+\)$/,
    );
    expect(failed.err).toMatch(/Wrong version: The new container answers healthy but reports another version/);
    expect(failed.err).toMatch(/The app answered 200: \{"status":"healthy","version":"2\.0\.0"/);
    expect(failed.err).toMatch(/Next step: Check the tag points at the right build/);
    const failedId = failed.out.match(/^Deployment (\S+):/m)?.[1];
    const failedStatus = await cli(["status", failedId!]);
    expect(failedStatus.code).toBe(1);
    expect(lastLine(failedStatus.err)).toBe(lastLine(failed.err));
    expect((await lbHealth(fx)).version).toBe("2.0.0");
    const outOfScope = await cli(["deploy", "--service", "billing", "--image", "billing:1.0.0"]);
    expect(outOfScope.code).toBe(2);
    expect(lastLine(outOfScope.err)).toMatch(
      /^aborted: 403 forbidden: This API token is not allowed to act on billing/,
    );
    const noToken = await cli(["status", "d1"], { GREENLIGHT_TOKEN: "" });
    expect(noToken.code).toBe(2);
    expect(noToken.err).toMatch(/Set GREENLIGHT_TOKEN/);
    const argvToken = await cli(["status", "d1", "--token", token]);
    expect(argvToken.code).toBe(2);
    expect(argvToken.err).toMatch(/environment only/);
  }, 150_000);

  it("a switch nginx refuses ends with exit 1 and the retry-switch command; retry-switch --wait then succeeds", async () => {
    const gated = await deploy("privatetrade:1.9.0");
    expect(gated.code, gated.err).toBe(0);
    const gatedId = gated.out.match(/greenlight promote (\S+)/)![1]!;
    // Broken after the preflight's own `nginx -t` passed: the switch is the first to meet it.
    const broken = path.join(fx.config.nginx.upstreamDir, "zz-broken.conf");
    fs.writeFileSync(broken, "this is not an nginx directive;\n");
    let failed;
    try {
      failed = await cli(["promote", gatedId, "--wait"]);
    } finally {
      fs.rmSync(broken, { force: true });
    }
    expect(failed.code, failed.out + failed.err).toBe(1);
    const last = lastLine(failed.err);
    expect(last).toMatch(
      /^failed: nginx rejected the configuration, .*; the target is kept until \d\d:\d\d UTC: fix nginx, then greenlight retry-switch \S+ \(deployment \S+\)$/,
    );
    expect(failed.err).toMatch(
      /Next step: Run `nginx -t` on the host and fix the file it names, then Retry the switch/,
    );
    expect((await lbHealth(fx)).version).toBe("2.0.0");
    const id = last.match(/greenlight retry-switch (\S+)/)![1]!;
    expect(id).toBe(gatedId);
    const retried = await cli(["retry-switch", id, "--wait"]);
    expect(retried.code, retried.out + retried.err).toBe(0);
    expect(lastLine(retried.out)).toMatch(/^succeeded: gl-cli 1\.9\.0 serves from blue/);
    expect((await lbHealth(fx)).version).toBe("1.9.0");
  }, 150_000);
});
