import { spawnSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { assertOwnedDataDir, storageStatePath } from "./support/env";
import { STACK, stackDataDir } from "./support/stack";

const HOLDER = "dep-crashed-e2e";
const LOCK = `deploy:${STACK.service}`;

function withDb<T>(run: (db: Database.Database) => T): T {
  const db = new Database(path.join(stackDataDir(assertOwnedDataDir()), "greenlight.db"), { timeout: 5000 });
  try {
    return run(db);
  } finally {
    db.close();
  }
}

/** The lock a Greenlight killed mid-deploy leaves: another instance, a pid that is gone, an hour left on its lease. */
function plantStaleLock(): void {
  const now = Date.now();
  const deadPid = spawnSync("true").pid!;
  withDb((db) =>
    db
      .prepare(
        `INSERT INTO leases (name, holder, owner_pid, instance, reason, acquired_at, heartbeat_at, expires_at)
         VALUES (?, ?, ?, 'gone', 'deploy 2.0.0 by alice', ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, owner_pid = excluded.owner_pid, instance = 'gone',
           reason = excluded.reason, acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at`,
      )
      .run(LOCK, HOLDER, deadPid, now - 30_000, now - 30_000, now + 3_600_000),
  );
}

const lockHolder = () =>
  withDb(
    (db) =>
      (db.prepare("SELECT holder FROM leases WHERE name = ?").get(LOCK) as { holder: string } | undefined)?.holder ??
      null,
  );

test.afterEach(() => {
  withDb((db) => db.prepare("DELETE FROM leases WHERE name = ? AND holder = ?").run(LOCK, HOLDER));
});

test.describe("a deploy lock whose holder died", () => {
  test("a release manager sees who holds it but gets no way to release it", async ({ browser }) => {
    plantStaleLock();
    const context = await browser.newContext({ storageState: storageStatePath("rm") });
    const page = await context.newPage();
    await page.goto(`/services/${STACK.service}`);
    await expect(page.getByText(/Locked: deploy 2\.0\.0 by alice/)).toBeVisible();
    await expect(page.getByTestId("deploy-lock")).toHaveCount(0);
    await context.close();
    expect(lockHolder()).toBe(HOLDER);
  });

  test("an admin force-releases it from the service page, with a reason, and the audit log shows it", async ({
    browser,
  }) => {
    plantStaleLock();
    const context = await browser.newContext({ storageState: storageStatePath("admin") });
    const page = await context.newPage();
    await page.goto(`/services/${STACK.service}`);
    const card = page.getByTestId("deploy-lock");
    await expect(card).toContainText(`Held by ${HOLDER} (deploy 2.0.0 by alice)`);
    await card.getByRole("button", { name: "Force-release the lock" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Release the lock" }).click();
    await expect(dialog).toContainText("Give a reason of at least 10 characters.");
    expect(lockHolder()).toBe(HOLDER);
    await dialog.getByLabel("Reason").fill("the deploy host was rebooted mid-deploy");
    await dialog.getByRole("button", { name: "Release the lock" }).click();
    await expect(page.getByText(`Released the deploy lock of ${STACK.service} held by ${HOLDER}.`)).toBeVisible();
    expect(lockHolder()).toBeNull();
    await expect(page.getByTestId("deploy-lock")).toHaveCount(0);
    const row = withDb((db) =>
      db
        .prepare(
          "SELECT actor, outcome, reason FROM audit_log WHERE action = 'lock.force_release' ORDER BY id DESC LIMIT 1",
        )
        .get(),
    );
    expect(row).toEqual({ actor: "admin", outcome: "ok", reason: "the deploy host was rebooted mid-deploy" });
    await context.close();
  });
});
