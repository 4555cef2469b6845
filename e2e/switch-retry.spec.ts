import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { loadConfig } from "@/lib/config/load";
import { BASE_URL, SCREENS_DIR, storageStatePath } from "./support/env";
import { servedVersion } from "./support/release-state";
import { STACK, stackConfigFile } from "./support/stack";

const SCREENS = path.join(SCREENS_DIR, "switch-retry");

test.describe("a switch that nginx refuses", () => {
  test.use({ storageState: storageStatePath("rm") });

  test("keeps the checked target, says how to fix it, and Retry the switch then serves it", async ({ page }) => {
    test.setTimeout(240_000);
    const live = await servedVersion();
    const next = live === "1.9.0" ? "2.0.0" : "1.9.0";
    const started = await page.request.post(`/api/v1/services/${STACK.service}/deployments`, {
      headers: { origin: BASE_URL },
      data: { image: `${STACK.service}:${next}` },
    });
    expect(started.status(), await started.text()).toBe(202);
    const { id } = (await started.json()) as { id: string };
    await page.goto(`/deployments/${id}`);
    await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "awaiting_promotion", {
      timeout: 120_000,
    });
    const toSlot = (await page.getByTestId("gate-banner").textContent())!.match(/on (blue|green) passed/)![1]!;

    // Someone leaves a broken file in the directory nginx includes, after the preflight's own `nginx -t` passed.
    const upstreamDir = loadConfig(stackConfigFile(process.env.GREENLIGHT_E2E_DATA_DIR!)).nginx.upstreamDir;
    const broken = path.join(upstreamDir, "zz-broken.conf");
    fs.writeFileSync(broken, "this is not an nginx directive;\n");
    try {
      await page.getByRole("button", { name: `Promote ${toSlot}` }).click();
      await page
        .getByRole("dialog", { name: `Promote ${toSlot}?` })
        .getByRole("button", { name: `Promote ${toSlot}` })
        .click();
      await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "switch_failed", {
        timeout: 30_000,
      });
      await expect(page.getByTestId("switch-failed-banner")).toContainText(
        `The switch failed, not the release: ${next} on ${toSlot} is kept`,
      );
      await expect(page.getByTestId("kept-until")).toHaveText(/\d\d:\d\d UTC$/);
      const note = page.getByTestId("failure-note");
      await expect(note).toHaveAttribute("data-kind", "nginx_config_invalid");
      await expect(note).toContainText("Run `nginx -t` on the host and fix the file it names, then Retry the switch");
      await page.screenshot({ path: path.join(SCREENS, "switch-failed.png"), fullPage: true });
      expect(await servedVersion()).toBe(live);
    } finally {
      fs.rmSync(broken, { force: true });
    }

    await page.getByRole("button", { name: "Retry the switch" }).click();
    const dialog = page.getByRole("dialog", { name: `Retry the switch to ${toSlot}?` });
    await expect(dialog).toContainText("The backup and the migration are not run again.");
    await dialog.getByRole("button", { name: "Retry the switch" }).click();
    await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "succeeded", {
      timeout: 120_000,
    });
    await expect(page.getByTestId("final-state")).toContainText(`${next} serves all traffic from ${toSlot}`);
    await expect(page.getByTestId("events")).toContainText(`rm retries the switch to ${toSlot} (${next})`);
    expect(await servedVersion()).toBe(next);
  });
});
