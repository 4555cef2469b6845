import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { startTraffic } from "../scripts/stack/traffic";
import { BAD_RELEASE, buildBadRelease } from "./support/bad-release";
import { SCREENS_DIR, storageStatePath } from "./support/env";
import { servedVersion } from "./support/release-state";
import { STACK, STACK_LB_URL } from "./support/stack";

const SCREENS = path.join(SCREENS_DIR, "auto-rollback");

/** The colour the service page says nginx serves. */
async function liveSlotShown(page: Page): Promise<"blue" | "green"> {
  await expect(page.getByText("live: nginx serves this")).toHaveCount(1);
  return (await page.getByTestId("slot-blue").getByText("live: nginx serves this").count()) === 1 ? "blue" : "green";
}

test.describe("a bad release", () => {
  test.use({ storageState: storageStatePath("rm") });

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    await buildBadRelease();
  });

  test("is switched to, breaches a trigger under load and rolls itself back; the page names the metric and marks the rollback", async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const servedBefore = await servedVersion();
    await page.goto(`/services/${STACK.service}`);
    const live = await liveSlotShown(page);
    const target = live === "blue" ? "green" : "blue";
    await expect(page.getByTestId(`slot-${live}`).getByTestId("slot-version")).toHaveText(servedBefore);
    await expect(page.getByTestId("active-deployment"), "nothing is waiting at the gate").toHaveCount(0);

    await page.getByLabel("Release (image tag on this engine)").selectOption(BAD_RELEASE.image);
    await page.getByLabel("Promote automatically when every check passes").check();
    await page.getByRole("button", { name: `Deploy to ${target}` }).click();
    await expect(page).toHaveURL(/\/deployments\/[\w.-]+$/, { timeout: 15_000 });
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`${STACK.service} ${BAD_RELEASE.version}`);

    // Users keep coming while the release is judged; bounded in rate and time, loopback only.
    const traffic = startTraffic({ lbUrl: STACK_LB_URL, perSecond: 15, maxMs: 150_000 });
    try {
      // It is good enough to pass every check before the switch: only the watch finds it out.
      for (const phase of ["health", "smoke", "switch", "verify"]) {
        await expect(page.getByTestId(`phase-${phase}`), phase).toHaveAttribute("data-status", /passed|warning/, {
          timeout: 120_000,
        });
      }
      await expect(page.getByTestId("deployment-watch-charts")).toBeVisible();
      await page.screenshot({ path: path.join(SCREENS, "watching.png"), fullPage: true });

      await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "rolled_back", {
        timeout: 120_000,
      });
      const final = page.getByTestId("final-state");
      await expect(final).toContainText(`Rolled back to ${live} (${servedBefore})`);
      await expect(final).toContainText("Automatic rollback");
      await expect(final).toContainText(BAD_RELEASE.metric);
      await expect(page.getByTestId("phase-watch")).toHaveAttribute("data-status", "failed");
      await expect(page.getByTestId("events")).toContainText("Rolling back automatically");
      expect(await servedVersion()).toBe(servedBefore);

      const charts = page.getByTestId("deployment-watch-charts");
      await expect(
        charts
          .locator("svg text")
          .filter({ hasText: `switch to ${target}` })
          .first(),
      ).toBeVisible({ timeout: 15_000 });
      await expect(
        charts
          .locator("svg text")
          .filter({ hasText: `rollback to ${live}` })
          .first(),
      ).toBeVisible();
      await expect(charts.getByText("No traffic was measured in this window.")).toHaveCount(0);
      await page.screenshot({ path: path.join(SCREENS, "rolled-back.png"), fullPage: true });
    } finally {
      traffic.stop();
      await traffic.done;
    }

    await page.getByRole("link", { name: `← ${STACK.service}` }).click();
    await expect(page.getByTestId(`slot-${live}`)).toContainText("live: nginx serves this");
    await expect(page.getByTestId(`slot-${live}`).getByTestId("slot-version")).toHaveText(servedBefore);
    await expect(page.getByTestId("active-deployment")).toHaveCount(0);
    await page.screenshot({ path: path.join(SCREENS, "service-after.png"), fullPage: true });
  });
});
