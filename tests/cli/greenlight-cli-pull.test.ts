import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushPullableRelease, removeLocalImages, testRegistry } from "@/lib/docker/registry-test-fixture";
import { startCliTarget } from "@/tests/support/cli-target";
import { ciToken } from "@/tests/support/api-token";
import { runCli } from "@/tests/support/cli-run";
import { lbHealth } from "@/tests/support/engine-fixture";
import { openTempStack, type TempStack } from "@/scripts/stack/temp-stack";

const registry = testRegistry();
const REPO = `${registry.host}/gl-pull-cli/privatetrade`;
const PASSWORD_ENV = "GL_PULL_CLI_REGISTRY_PASSWORD";
let fx: TempStack;
let api: Awaited<ReturnType<typeof startCliTarget>>;
let token = "";

const cli = (args: string[]) => runCli(args, { url: api.url, token, interval: 100, timeout: 120 });

beforeAll(async () => {
  process.env[PASSWORD_ENV] = registry.password;
  await removeLocalImages(REPO);
  // A layer big enough that the pull lasts several of the CLI's polls on loopback.
  await pushPullableRelease({
    base: "privatetrade:1.9.0",
    target: `${REPO}:1.9.0`,
    ballastBytes: 80_000_000,
    registry,
  });
  fx = await openTempStack({
    name: "gl-cli-pull",
    basePort: 47630,
    healthDeadlineSeconds: 15,
    registries: [{ host: registry.host, username: registry.username, password: { fromEnv: PASSWORD_ENV } }],
    adjust: (svc) => {
      svc.image = REPO;
    },
  });
  api = await startCliTarget(fx, 47634);
  token = ciToken(fx);
}, 180_000);
afterAll(async () => {
  await api?.close();
  await fx?.cleanup();
  await removeLocalImages(REPO);
});

describe("greenlight deploy of a release that must be pulled", () => {
  it("shows the pull's progress off a terminal as milestone lines, then the pull phase, and deploys it", async () => {
    const r = await cli([
      "deploy",
      "--service",
      fx.service.name,
      "--image",
      `${REPO}:1.9.0`,
      "--auto-promote",
      "--wait",
    ]);
    expect(r.code, r.err + r.out).toBe(0);
    const lines = r.out.split("\n");
    const progress = lines.filter((l) => l.startsWith(`  pulling ${REPO}:1.9.0: `));
    expect(progress.length, r.out).toBeGreaterThan(0);
    for (const l of progress) expect(l).toMatch(/: \d{1,3}% \(\d+\.\d of \d+\.\d MB, \d+ layer\(s\)\)$/);
    expect(r.out).not.toMatch(/\r|\x1b\[K/);
    expect(lines.findIndex((l) => l.startsWith("  ok   pull"))).toBeGreaterThan(lines.indexOf(progress[0]!));
    expect(r.out).toMatch(
      /ok {3}pull .*pulled .* from 127\.0\.0\.1:5000 .*pinned to 127\.0\.0\.1:5000\/gl-pull-cli\/privatetrade@sha256:[a-f0-9]{64}/,
    );
    expect((await lbHealth(fx)).version).toBe("1.9.0");
    expect(r.out + r.err).not.toContain(registry.password);
  }, 150_000);
});
