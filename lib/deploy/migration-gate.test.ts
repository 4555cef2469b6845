import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHealthOnce } from "@/lib/checks/health";
import { REPO_ROOT } from "@/scripts/stack/example-stack";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import {
  appDbSnapshot,
  containersOf,
  expectServes,
  lockOf,
  stepOf,
  stepsOf,
  targetContainers,
} from "@/tests/support/scenario-helpers";
import { getDeployment } from "./store";

let fx: Fixture;
let migrations: string;

beforeAll(async () => {
  migrations = fs.mkdtempSync(path.join(os.tmpdir(), "gl-mig-"));
  fs.copyFileSync(
    path.join(REPO_ROOT, "examples/privatetrade/migrations/001_add_specific_stock_selection.sql"),
    path.join(migrations, "001_add_specific_stock_selection.sql"),
  );
  // Renames a column 1.9.0 reads: fine for the new release's own checks, fatal for the live one.
  fs.writeFileSync(
    path.join(migrations, "002_break_v1.sql"),
    "-- greenlight:since 2.0.0\nALTER TABLE config RENAME COLUMN value TO config_value;\n",
  );
  fx = await engineFixture(46050, "gl-mig", (svc) => {
    svc.database.migrations = migrations;
    svc.health.deadlineSeconds = 5;
    svc.container.stopGraceSeconds = 2;
  });
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
});
afterAll(async () => {
  await fx?.cleanup();
  if (migrations) fs.rmSync(migrations, { recursive: true, force: true });
});

describe("a migration that breaks the live release (scenario 21)", () => {
  it("blocks the deployment in the migrate phase, before the switch; the real database is untouched", async () => {
    const before = appDbSnapshot(fx.appDbPath);
    expect(before.schema.join("\n")).toMatch(/\bvalue TEXT/);

    const dep = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
    expect(dep.status).toBe("failed");
    expect(dep.switchedAt).toBeNull();
    expect(stepsOf(fx, dep.id).slice(-2)).toEqual(["migrate:failed", "cleanup:passed"]);
    expect(stepsOf(fx, dep.id).some((s) => /^(health|smoke|switch|rollback):/.test(s))).toBe(false);
    expect(dep.error).toMatch(/would break the live release, so it was not applied/);
    expect(dep.error).toMatch(/1\.9\.0/);
    expect(stepOf(fx, dep.id, "migrate")?.detail).toMatchObject({
      pending: ["001_add_specific_stock_selection.sql", "002_break_v1.sql"],
    });

    // Nothing of the rehearsal reached the live database: same schema, same rows, no migration recorded.
    expect(appDbSnapshot(fx.appDbPath)).toEqual(before);
    // Traffic never moved, the live release still passes its own health check directly and through nginx.
    await expectServes(fx, "blue", "1.9.0");
    const direct = await checkHealthOnce({
      url: `http://127.0.0.1:${fx.service.slots.blue.port}/api/health`,
      expectedVersion: "1.9.0",
      versionField: "version",
      requestTimeoutMs: 3000,
    });
    expect(direct.ok, direct.reason).toBe(true);
    const config = await fetch(`${fx.lbUrl}/api/config`);
    expect(config.status).toBe(200);
    // Target and the rehearsal's scratch container are gone; blue is the only one left.
    expect(await targetContainers(fx, dep.id)).toEqual([]);
    expect((await containersOf(fx)).map((c) => `${c.slot}:${c.running}`)).toEqual(["blue:true"]);
    expect(lockOf(fx)).toBeNull();
    expect(getDeployment(fx.ctx.db, dep.id).backupFile).toBeTruthy();
  });

  it("without the breaking file the same release migrates and deploys", async () => {
    fs.rmSync(path.join(migrations, "002_break_v1.sql"));
    const dep = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    expect(stepOf(fx, dep.id, "migrate")?.status).toBe("passed");
    await expectServes(fx, "green", "2.0.0");
  });
});
