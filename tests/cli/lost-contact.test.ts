import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLease } from "@/lib/deploy/lease";
import { recoverDeployments } from "@/lib/deploy/recovery";
import { getDeployment, listDeployments } from "@/lib/deploy/store";
import { ciToken } from "@/tests/support/api-token";
import { lastLine, startCli } from "@/tests/support/cli-run";
import { startCliTarget, type CliTarget } from "@/tests/support/cli-target";
import { engineFixture, type Fixture } from "@/tests/support/engine-fixture";

const CONSOLE_PORT = 52114;
let fx: Fixture;
let api: CliTarget | undefined;
let token = "";

/** The CLI as CI runs it, with its output readable while it runs, so the console can be killed mid-deploy. */
const runCli = (args: string[]) =>
  startCli(args, { url: `http://127.0.0.1:${CONSOLE_PORT}`, token, interval: 200, timeout: 120 });

/** Starts the console and a deploy the CLI follows, then kills the console once the new colour is starting. */
async function deployThenKillConsole(lostContactSeconds: string) {
  api = await startCliTarget(fx, CONSOLE_PORT);
  const cli = runCli([
    "deploy",
    "--service",
    fx.service.name,
    "--image",
    "privatetrade:1.9.0",
    "--auto-promote",
    "--wait",
    "--lost-contact",
    lostContactSeconds,
  ]);
  await cli.waitFor(/ok {3}start_target/);
  await api.kill!();
  return { cli, kind: api.kind };
}

async function settled(id: string) {
  for (let i = 0; i < 600 && ["running", "rolling_back"].includes(getDeployment(fx.ctx.db, id).status); i++)
    await new Promise((r) => setTimeout(r, 100));
}

beforeAll(async () => {
  // The new colour takes seconds to listen: long enough to kill the console while the CLI follows the health phase.
  fx = await engineFixture(52110, "gl-lost", (svc) => {
    svc.container.env.FAULT_STARTUP_DELAY_MS = "8000";
    svc.health.deadlineSeconds = 60;
    svc.container.stopGraceSeconds = 2;
  });
  token = ciToken(fx);
}, 120_000);
afterAll(async () => {
  await api?.close();
  await fx?.cleanup();
});

describe("the CLI never reports success for a deployment it could not follow to its end (scenario 38)", () => {
  it("console killed mid-deploy and not back: exit 4 after --lost-contact, the last line says what it last knew", async () => {
    const { cli, kind } = await deployThenKillConsole("3");
    const r = await cli.result;
    const id = listDeployments(fx.ctx.db, fx.service.name)[0]!.id;
    expect(r.code, r.out + r.err).toBe(4);
    expect(r.out).toMatch(/lost contact with Greenlight \(no answer from .*\); reconnecting to follow/);
    expect(lastLine(r.err)).toMatch(
      new RegExp(
        `^aborted: lost contact with Greenlight at http://127\\.0\\.0\\.1:${CONSOLE_PORT} for \\d+ s \\(.*\\); last known: ${id} was running in (start_target|migrate|health)\\. Its outcome is unknown: greenlight status ${id}$`,
      ),
    );
    expect(r.out + r.err).not.toMatch(/^succeeded:/m);
    // What the restarted Greenlight's recovery does with it: the target never got traffic, so it fails. (Behind the
    // in-process adapter the pipeline itself is still alive and finishes on its own.)
    if (kind === "next start") {
      await recoverDeployments(fx.ctx);
      expect(getDeployment(fx.ctx.db, id).status).toBe("failed");
    } else await settled(id);
  }, 150_000);

  it("console killed and restarted at once: the CLI reconnects, follows the same deployment and ends with its recorded verdict", async () => {
    // A console started while the killed one's engine lease is still fresh serves the UI only: wait it out.
    for (let i = 0; i < 450 && (readLease(fx.ctx.db, "engine")?.expiresAt ?? 0) > Date.now(); i++)
      await new Promise((r) => setTimeout(r, 100));
    const { cli, kind } = await deployThenKillConsole("60");
    api = await startCliTarget(fx, CONSOLE_PORT);
    await cli.waitFor(/reconnected to Greenlight/);
    const id = listDeployments(fx.ctx.db, fx.service.name)[0]!.id;
    // The killed process drove the deployment; as on a supervisor's restart, recovery settles it (in-process, the
    // adapter's pipeline is still alive and finishes on its own).
    if (kind === "next start") await recoverDeployments(fx.ctx);
    const r = await cli.result;
    const recorded = getDeployment(fx.ctx.db, id);
    expect(["succeeded", "failed"]).toContain(recorded.status);
    if (recorded.status === "succeeded") {
      expect(r.code, r.out + r.err).toBe(0);
      expect(lastLine(r.out)).toBe(
        `succeeded: ${fx.service.name} 1.9.0 serves from ${recorded.toSlot} (deployment ${id}).`,
      );
    } else {
      expect(r.code, r.out + r.err).toBe(1);
      expect(lastLine(r.err)).toBe(`failed: ${recorded.error} (deployment ${id})`);
    }
  }, 150_000);
});
