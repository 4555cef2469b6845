import path from "node:path";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { startTraffic } from "../scripts/stack/traffic";
import { SCREENS_DIR, storageStatePath, type TestUser } from "./support/env";
import { ensureWarmPrevious, readiness, servedVersion, type Readiness } from "./support/release-state";
import { STACK, STACK_LB_URL } from "./support/stack";

const SCREENS = path.join(SCREENS_DIR, "rollback");
const SERVICE_PAGE = `/services/${STACK.service}`;
const APPROVE = "Approve and roll back";

async function openAs(browser: Browser, user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ storageState: storageStatePath(user) });
  return { context, page: await context.newPage() };
}

/** The request list entry carrying this reason (reasons are unique per test run). */
const requestItem = (page: Page, reason: string) =>
  page.getByTestId("rollback-requests").getByRole("listitem").filter({ hasText: reason });

async function askForRollback(page: Page, reason: string): Promise<void> {
  await page.goto(SERVICE_PAGE);
  await expect(page.getByTestId("rollback-readiness")).toBeVisible();
  await page.getByLabel("Why roll back? (required)").fill(reason);
  await page.getByRole("button", { name: "Request rollback" }).click();
  await expect(
    page.getByText("Requested; a release manager or admin other than you has 15 minutes to approve it."),
  ).toBeVisible();
  await expect(requestItem(page, reason)).toContainText("pending");
}

/** Sum of the requests/s both colours show in the board's header (whichever colour serves, the sum moves). */
async function shownRps(page: Page): Promise<number> {
  let total = 0;
  for (const slot of ["blue", "green"]) {
    const n = Number.parseFloat(
      ((await page.getByTestId(`current-rps-${slot}`).textContent()) ?? "").replace(/,/g, ""),
    );
    if (Number.isFinite(n)) total += n;
  }
  return total;
}

test.describe.serial("rolling back with a second pair of eyes", () => {
  let warm: Readiness;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(240_000);
    const { context } = await openAs(browser, "rm");
    try {
      warm = await ensureWarmPrevious(context.request);
    } finally {
      await context.close();
    }
  });

  test("the requester never sees Approve on their own request; another approver rejects it and traffic stays", async ({
    browser,
  }) => {
    test.setTimeout(60_000);
    const servedBefore = await servedVersion();
    const admin = await openAs(browser, "admin");
    const rm = await openAs(browser, "rm");
    try {
      const reason = `admin self-check ${Date.now()}: should not be approvable by its requester`;
      await askForRollback(admin.page, reason);
      await expect(requestItem(admin.page, reason)).toContainText("admin (admin)");
      // The admin may approve other people's requests, so the missing button is about the requester, not the role.
      await expect(requestItem(admin.page, reason).getByRole("button", { name: APPROVE })).toHaveCount(0);
      await expect(
        admin.page.getByRole("button", { name: "Request rollback" }),
        "one pending request at a time",
      ).toBeDisabled();

      await rm.page.goto(SERVICE_PAGE);
      const item = requestItem(rm.page, reason);
      await expect(item.getByRole("button", { name: APPROVE })).toBeVisible();
      await item.getByRole("button", { name: "Reject" }).click();
      const dialog = rm.page.getByRole("dialog", { name: "Reject this rollback request?" });
      await dialog.getByLabel("Why (shown to admin)").fill("checked with admin: only a drill");
      await dialog.getByRole("button", { name: "Reject" }).click();
      await expect(item).toContainText("rejected");
      await expect(item).toContainText("by rm — checked with admin: only a drill");
      await expect(requestItem(admin.page, reason)).toContainText("rejected");
      expect(await servedVersion()).toBe(servedBefore);
    } finally {
      await admin.context.close();
      await rm.context.close();
    }
  });

  test("on-call watches the charts move, requests a rollback; a release manager approves it live; traffic returns and the audit chain holds", async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const servedBefore = await servedVersion();
    const previous = { slot: warm.fromSlot!, version: warm.fromVersion! };
    expect(previous.version).not.toBe(servedBefore);
    const oncall = await openAs(browser, "oncall");
    const rm = await openAs(browser, "rm");
    const traffic = startTraffic({ lbUrl: STACK_LB_URL, perSecond: 15, maxMs: 90_000 });
    try {
      await oncall.page.goto(`${SERVICE_PAGE}/metrics?window=5m`);
      await expect(oncall.page.getByTestId("metrics-stream")).toHaveAttribute("data-state", "live");
      const seen = new Set<number>([await shownRps(oncall.page)]);
      await expect
        .poll(
          async () => {
            seen.add(await shownRps(oncall.page));
            return [...seen].filter((v) => v >= 5).length;
          },
          { timeout: 45_000, intervals: [500], message: "the requests/s figure changes while traffic flows" },
        )
        .toBeGreaterThanOrEqual(2);
      await oncall.page.screenshot({ path: path.join(SCREENS, "oncall-metrics-live.png"), fullPage: true });

      // The release manager is already looking at the service when the request comes in.
      await rm.page.goto(SERVICE_PAGE);
      await expect(rm.page.getByTestId("rollback-readiness")).toContainText(
        `would return to ${previous.slot} (${previous.version})`,
      );

      const reason = `on-call ${Date.now()}: checkout latency complaints since the switch`;
      await askForRollback(oncall.page, reason);
      await expect(oncall.page.getByTestId("rollback-readiness")).toContainText(
        `would return to ${previous.slot} (${previous.version})`,
      );
      await expect(requestItem(oncall.page, reason).getByRole("button", { name: APPROVE })).toHaveCount(0);
      await oncall.page.screenshot({ path: path.join(SCREENS, "oncall-requested.png"), fullPage: true });

      const pending = requestItem(rm.page, reason);
      await expect(pending, "the pending request appears without a reload").toContainText("pending");
      await expect(pending).toContainText("oncall (oncall)");
      await rm.page.screenshot({ path: path.join(SCREENS, "rm-sees-pending.png"), fullPage: true });
      await pending.getByRole("button", { name: APPROVE }).click();
      const dialog = rm.page.getByRole("dialog", { name: `Roll ${STACK.service} back now?` });
      await expect(dialog).toContainText(reason);
      await rm.page.screenshot({ path: path.join(SCREENS, "rm-approve-dialog.png") });
      await dialog.getByRole("button", { name: APPROVE }).click();

      const done = `Traffic back on ${previous.slot} (${previous.version}).`;
      await expect(pending).toContainText("executed", { timeout: 60_000 });
      await expect(pending).toContainText(`by rm`);
      await expect(pending).toContainText(done);
      // The release manager's tab, never reloaded, says so in its title and turns its icon red.
      await expect(rm.page).toHaveTitle(`${STACK.service} · rolled back · Greenlight`);
      await expect(rm.page.locator('link[rel~="icon"]').first()).toHaveAttribute("href", "/icon-alarm.svg");
      await expect(requestItem(oncall.page, reason), "on-call sees it happen").toContainText("executed", {
        timeout: 15_000,
      });
      await expect(requestItem(oncall.page, reason)).toContainText(done);
      expect(await servedVersion()).toBe(previous.version);
      await expect(oncall.page.getByTestId(`slot-${previous.slot}`)).toContainText("live: nginx serves this", {
        timeout: 15_000,
      });
      await oncall.page.screenshot({ path: path.join(SCREENS, "oncall-executed.png"), fullPage: true });

      await oncall.page.goto(`/deployments/${warm.deploymentId}`);
      await expect(oncall.page.getByTestId("deployment-status")).toHaveAttribute("data-status", "rolled_back");
      await expect(oncall.page.getByTestId("final-state")).toContainText(
        `Rolled back to ${previous.slot} (${previous.version})`,
      );
      await expect(oncall.page.getByTestId("final-state")).toContainText(
        `${reason} (requested by oncall, approved by rm)`,
      );

      await oncall.page.goto("/audit");
      await expect(oncall.page.getByTestId("audit-chain")).toHaveAttribute("data-ok", "true");
      await expect(oncall.page.getByTestId("audit-chain")).toContainText(/Audit chain intact: \d+ entries verified/);
      const row = (action: string) => oncall.page.locator(`[data-testid="audit-row"][data-action="${action}"]`).first();
      for (const [action, actor, text] of [
        ["rollback.request", "oncall", reason],
        ["rollback.approve", "rm", reason],
        ["rollback.execute", "rm", done],
        ["engine.rolled_back", "greenlight", `Rollback to ${previous.version} completed`],
      ] as const) {
        await expect(row(action), action).toHaveAttribute("data-outcome", "ok");
        await expect(row(action), action).toContainText(actor);
        await expect(row(action), action).toContainText(text);
      }
      await oncall.page.screenshot({ path: path.join(SCREENS, "audit-chain.png"), fullPage: true });

      const after = await readiness(oncall.context.request);
      expect(after.deploymentId).not.toBe(warm.deploymentId);
      const left = await oncall.context.request.get(`/api/v1/services/${STACK.service}/rollback-requests`);
      const { requests } = (await left.json()) as { requests: Array<{ status: string }> };
      expect(
        requests.filter((r) => r.status === "pending"),
        "nothing is left waiting for a decision",
      ).toEqual([]);
    } finally {
      traffic.stop();
      await traffic.done;
      await oncall.context.close();
      await rm.context.close();
    }
  });
});
