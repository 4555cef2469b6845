import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDeployments } from "@/lib/deploy/store";
import { readAttachments } from "@/lib/release/attachments";
import { ciToken } from "@/tests/support/api-token";
import { lastLine, runCli } from "@/tests/support/cli-run";
import { startCliTarget } from "@/tests/support/cli-target";
import { engineFixture, type Fixture } from "@/tests/support/engine-fixture";

let fx: Fixture;
let api: Awaited<ReturnType<typeof startCliTarget>>;
let token = "";
let dir = "";
const fixtures = path.join(process.cwd(), "lib/release/fixtures");

const deploy = (...flags: string[]) =>
  runCli(["deploy", "--service", fx.service.name, ...flags], { url: api.url, token, interval: 200, timeout: 120 });

beforeAll(async () => {
  fx = await engineFixture(48220, "gl-cli-notes");
  api = await startCliTarget(fx, 48224);
  token = ciToken(fx);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gl-cli-notes-files-"));
}, 120_000);
afterAll(async () => {
  await api?.close();
  await fx?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("greenlight deploy --notes and --test-report", () => {
  it("stops before sending anything when a file is missing, not a file, too large, or an override has no report", async () => {
    const missing = path.join(dir, "RELEASE_NOTES.md");
    const r1 = await deploy("--image", "privatetrade:1.9.0", "--notes", missing);
    expect(r1.code).toBe(2);
    expect(lastLine(r1.err)).toBe(`aborted: --notes ${missing}: no such file; nothing was sent.`);
    const r2 = await deploy("--image", "privatetrade:1.9.0", "--test-report", dir);
    expect(lastLine(r2.err)).toBe(`aborted: --test-report ${dir}: not a regular file; nothing was sent.`);
    const big = path.join(dir, "big.xml");
    fs.writeFileSync(big, Buffer.alloc(2 * 1024 * 1024 + 1, 32));
    const r3 = await deploy("--image", "privatetrade:1.9.0", "--test-report", big);
    expect(lastLine(r3.err)).toBe(
      `aborted: --test-report ${big}: 2097153 bytes, at most 2097152 are accepted; nothing was sent.`,
    );
    const r4 = await deploy("--image", "privatetrade:1.9.0", "--override-failed-tests", "known flaky test suite");
    expect(lastLine(r4.err)).toMatch(/^aborted: --override-failed-tests needs --test-report/);
    for (const r of [r2, r3, r4]) expect(r.code).toBe(2);
    expect(listDeployments(fx.ctx.db, fx.service.name)).toEqual([]);
  });

  it("shows Greenlight's refusal of a malformed report, naming the line", async () => {
    const r = await deploy("--image", "privatetrade:1.9.0", "--test-report", `${fixtures}/malformed-unclosed.xml`);
    expect(r.code).toBe(2);
    expect(lastLine(r.err)).toMatch(/^aborted: 400 \w+: testReport: not well-formed XML at line 5, column \d+/);
    expect(listDeployments(fx.ctx.db, fx.service.name)).toEqual([]);
  });

  it("a report with failures ends in failed at preflight; with --override-failed-tests the release goes out", async () => {
    const notes = path.join(dir, "notes.md");
    fs.writeFileSync(notes, "# 1.9.0\n\nFirst release.\n");
    const report = `${fixtures}/pytest.xml`;
    const blocked = await deploy("--image", "privatetrade:1.9.0", "--notes", notes, "--test-report", report, "--wait");
    expect(blocked.code).toBe(1);
    expect(lastLine(blocked.err)).toMatch(
      /^failed: Preflight failed: Release's own tests: 2 of 7 tests failed: tests\.test_orders\.test_order_total\[eur\], tests\.test_db\.test_migration \(deployment \S+\)$/,
    );
    expect(blocked.err).toMatch(/Tests failed: The release's own test report.*\n.*Next step: Fix the failing tests/);
    const passed = await deploy(
      "--image",
      "privatetrade:1.9.0",
      "--auto-promote",
      "--wait",
      "--notes",
      notes,
      "--test-report",
      report,
      "--override-failed-tests",
      "rounding bug is known and harmless",
    );
    expect(passed.code, passed.err).toBe(0);
    expect(passed.out).toMatch(/warn preflight/);
    const dep = listDeployments(fx.ctx.db, fx.service.name)[0]!;
    expect(dep.status).toBe("succeeded");
    expect(readAttachments(fx.ctx.db, dep.id)).toMatchObject({
      notes: "# 1.9.0\n\nFirst release.\n",
      testFailureOverride: "rounding bug is known and harmless",
      testSummary: { total: 7, failed: 1, errors: 1 },
    });
  }, 150_000);
});
