import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import path from "node:path";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import { StorageError } from "@/lib/db/errors";
import { startDeployment } from "./start-deployment";
import { listDeployments } from "./store";
import { readLease, deployLockName } from "./lease";
import { findContainers } from "@/lib/docker/containers";

let fx: Fixture;

beforeAll(async () => {
  fx = await engineFixture(45050, "gl-busy");
  expect((await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true })).status).toBe("succeeded");
});
afterAll(async () => {
  await fx?.cleanup();
});

describe("Greenlight's own database refuses a write (scenario 22)", () => {
  it("SQLITE_BUSY when starting a deployment: a clear error, no row, no lock, no container", async () => {
    fx.ctx.db.$client.pragma("busy_timeout = 200");
    const other = new Database(path.join(fx.dataDir, "greenlight.db"));
    other.exec("BEGIN IMMEDIATE");
    try {
      const attempt = startDeployment(fx.ctx, { service: fx.service.name, image: "privatetrade:2.0.0" }, "rm");
      await expect(attempt).rejects.toBeInstanceOf(StorageError);
      await expect(attempt).rejects.toThrow(
        /locked by another process, so the deployment of 2\.0\.0 was not recorded and nothing was changed/,
      );
    } finally {
      other.exec("ROLLBACK");
      other.close();
      fx.ctx.db.$client.pragma("busy_timeout = 5000");
    }
    expect(listDeployments(fx.ctx.db, fx.service.name).map((d) => d.version)).toEqual(["1.9.0"]);
    expect(readLease(fx.ctx.db, deployLockName(fx.service.name))).toBeNull();
    expect(
      (await findContainers({ service: fx.service.name, all: true })).map((c) => c.labels["greenlight.slot"]),
    ).toEqual(["blue"]);
  });
});

describe("Greenlight's own disk is full (scenario 22)", () => {
  it("SQLITE_FULL when starting a deployment: a clear error and nothing half-written", async () => {
    const { execFileSync } = await import("node:child_process");
    const fs = await import("node:fs");
    const os = await import("node:os");
    const { openDb } = await import("@/lib/db/client");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gl-full-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir]);
    try {
      const db = openDb(path.join(dir, "greenlight.db"));
      const ctx = { ...fx.ctx, db };
      try {
        fs.writeFileSync(path.join(dir, "filler"), Buffer.alloc(0));
        const fd = fs.openSync(path.join(dir, "filler"), "a");
        try {
          for (;;) fs.writeSync(fd, Buffer.alloc(16 * 1024));
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
        } finally {
          fs.closeSync(fd);
        }
        await expect(
          startDeployment(ctx, { service: fx.service.name, image: "privatetrade:2.0.0" }, "rm"),
        ).rejects.toThrow(
          /could not be written \((disk full|I\/O error)\), so the deployment of 2\.0\.0 was not recorded and nothing was changed/,
        );
        fs.rmSync(path.join(dir, "filler"));
        expect(listDeployments(db, fx.service.name)).toEqual([]);
        expect(readLease(db, deployLockName(fx.service.name))).toBeNull();
        expect(db.$client.pragma("integrity_check", { simple: true })).toBe("ok");
      } finally {
        db.$client.close();
      }
    } finally {
      execFileSync("umount", [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(
      (await findContainers({ service: fx.service.name, all: true })).map((c) => c.labels["greenlight.slot"]),
    ).toEqual(["blue"]);
  });
});
