import path from "node:path";
import { expect, test } from "@playwright/test";
import { BASE_URL, SCREENS_DIR, storageStatePath } from "./support/env";
import { STACK_LB_URL } from "./support/stack";

const SCREENS = path.join(SCREENS_DIR, "deploy");
const PRE_GATE = ["pull", "preflight", "backup", "start_target", "migrate", "health", "smoke"];

async function servedVersion(): Promise<string> {
  const res = await fetch(`${STACK_LB_URL}/api/health`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { version: string }).version;
}

test.describe.serial("deploying a release", () => {
  test.describe("as a release manager", () => {
    test.use({ storageState: storageStatePath("rm") });

    test("deploys 2.0.0 to green, watches it reach the gate, promotes it, and nginx serves 2.0.0", async ({ page }) => {
      test.setTimeout(240_000);
      expect(await servedVersion()).toBe("1.9.0");

      await page.goto("/");
      const card = page.getByTestId("service-card-privatetrade");
      await expect(card.getByTestId("live")).toContainText("blue");
      await expect(card.getByTestId("live")).toContainText("1.9.0");
      await expect(card).toContainText("healthy");
      await page.screenshot({ path: path.join(SCREENS, "overview.png"), fullPage: true });
      await card.getByRole("link", { name: "Open privatetrade" }).click();

      await expect(page).toHaveURL(/\/services\/privatetrade$/);
      const blue = page.getByTestId("slot-blue");
      await expect(blue).toContainText("live: nginx serves this");
      await expect(blue.getByTestId("slot-version")).toHaveText("1.9.0");
      await expect(page.getByTestId("slot-green")).toContainText("No container in this slot");
      await expect(page.locator("[data-stream=live]")).toBeVisible();
      await page.screenshot({ path: path.join(SCREENS, "service-page.png"), fullPage: true });

      await page.getByLabel("Release (image tag on this engine)").selectOption("privatetrade:2.0.0");
      await page.getByRole("button", { name: "Deploy to green" }).click();
      await expect(page).toHaveURL(/\/deployments\/[\w.-]+$/, { timeout: 15_000 });
      const deploymentUrl = page.url();

      await expect(page.getByRole("heading", { level: 1 })).toContainText("privatetrade 2.0.0");
      for (const phase of PRE_GATE) {
        await expect(page.getByTestId(`phase-${phase}`)).toHaveAttribute("data-status", /passed|warning|skipped/, {
          timeout: 90_000,
        });
      }
      await expect(page.getByTestId("phase-smoke")).toHaveAttribute("data-status", "passed");
      await expect(page.getByTestId("gate-banner")).toContainText(
        "Ready to promote: privatetrade 2.0.0 on green passed every check",
      );
      await expect(page.getByTestId("phase-gate")).toHaveAttribute("data-status", "waiting");
      await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "awaiting_promotion");
      const firstWait = await page.getByTestId("gate-wait").textContent();
      await expect
        .poll(() => page.getByTestId("gate-wait").textContent(), { message: "the time waited at the gate ticks" })
        .not.toBe(firstWait);
      expect(await servedVersion()).toBe("1.9.0");
      await page.getByTestId("phase-smoke").locator("summary").click();
      await expect(page.getByTestId("phase-smoke")).toContainText("GET /api/config");
      await page.getByRole("button", { name: "Show log tail" }).click();
      await expect(page.getByTestId("log-tail")).not.toBeEmpty();
      await page.screenshot({ path: path.join(SCREENS, "deployment-gate.png"), fullPage: true });

      // A second tab on the service names the gate in its title; it follows the promote without a reload.
      const tab = await page.context().newPage();
      await tab.goto("/services/privatetrade");
      await expect(tab).toHaveTitle("privatetrade · awaiting approval · Greenlight");
      await expect(tab.locator('link[rel~="icon"]').first()).toHaveAttribute("href", "/icon.svg");

      await page.getByRole("button", { name: "Promote green" }).click();
      const dialog = page.getByRole("dialog", { name: "Promote green?" });
      await expect(dialog).toContainText(
        "nginx will send all traffic for privatetrade to green (2.0.0); blue (1.9.0) stays warm for 24 h",
      );
      await page.screenshot({ path: path.join(SCREENS, "promote-dialog.png") });
      await dialog.getByRole("button", { name: "Promote green" }).click();
      await expect(tab).toHaveTitle("privatetrade · deploying · Greenlight", { timeout: 30_000 });

      await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "succeeded", {
        timeout: 90_000,
      });
      await expect(page.getByTestId("final-state")).toContainText("2.0.0 serves all traffic from green");
      await expect(tab).toHaveTitle("privatetrade · Greenlight");
      await tab.close();
      for (const phase of ["gate", "switch", "verify", "done"]) {
        await expect(page.getByTestId(`phase-${phase}`)).toHaveAttribute("data-status", /passed|warning/);
      }
      // With no traffic in the stack's 20 s bake window the watch ends with a warning (inconclusive), never a clean pass.
      await expect(page.getByTestId("phase-watch")).toHaveAttribute("data-status", /passed|warning|skipped/);
      await expect(page.getByTestId("events")).toContainText("rm promoted 2.0.0 to green");
      await page.screenshot({ path: path.join(SCREENS, "deployment-succeeded.png"), fullPage: true });
      expect(await servedVersion()).toBe("2.0.0");
      // The seed's monitoring plan now runs from the switch: its checkpoints, hourly and daily reports, all pending.
      await page.reload();
      const plan = page.getByTestId("monitoring-plan");
      await expect(plan.getByTestId("plan-checkpoint:T+10 initial")).toHaveAttribute("data-status", "pending");
      await expect(plan.getByTestId("plan-checkpoint:T+30 final status")).toContainText("T+30 min");
      await expect(plan.getByTestId("plan-hourly:180")).toContainText("T+3 h report");
      // 09:00 UTC falls two or three times in the 69 h from T+3 h to T+72 h, depending on the hour of the switch.
      const dailies = await plan.locator('[data-testid^="plan-daily:"]').count();
      expect(dailies === 2 || dailies === 3, `${dailies} daily reports`).toBe(true);

      await page.goto("/services/privatetrade");
      await expect(page.getByTestId("slot-green")).toContainText("live: nginx serves this");
      await expect(page.getByTestId("slot-green").getByTestId("slot-version")).toHaveText("2.0.0");
      await expect(page.getByTestId("slot-blue")).toContainText("warm for rollback");
      await expect(page.getByTestId("slot-blue")).toContainText("Warm until");
      await expect(page.getByTestId("history").getByRole("row")).toHaveCount(3);
      await expect(page.getByTestId("history").locator(`a[href="${new URL(deploymentUrl).pathname}"]`)).toBeVisible();
      await page.screenshot({ path: path.join(SCREENS, "service-after.png"), fullPage: true });

      await page.getByLabel("Release (image tag on this engine)").selectOption("privatetrade:2.0.0");
      await page.getByRole("button", { name: "Deploy to blue" }).click();
      await expect(page.getByRole("status").filter({ hasText: "already serves 2.0.0 from green" })).toBeVisible();
    });
  });

  test.describe("as a viewer", () => {
    test.use({ storageState: storageStatePath("viewer") });

    test("sees the state but no deploy, promote, abort or retry controls", async ({ page }) => {
      await page.goto("/services/privatetrade");
      await expect(page.getByTestId("slot-green")).toContainText("live: nginx serves this");
      await expect(page.getByText("Deploy a release")).toHaveCount(0);
      await expect(page.getByRole("button", { name: /Deploy to/ })).toHaveCount(0);
      await page.getByTestId("history").getByRole("link").first().click();
      await expect(page).toHaveURL(/\/deployments\/[\w.-]+$/);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("privatetrade 2.0.0");
      await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "succeeded");
      await expect(page.getByRole("button", { name: /Promote|Abort|Retry/ })).toHaveCount(0);
    });

    test("the streams answer with a snapshot at once for a viewer", async ({ page }) => {
      const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
      const controller = new AbortController();
      const res = await fetch(`${BASE_URL}/api/services/privatetrade/events`, {
        headers: { cookie },
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const reader = res.body!.getReader();
      let text = "";
      while (!text.includes("data: {")) text += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      expect(text).toContain('"name":"privatetrade"');
      const missing = await fetch(`${BASE_URL}/api/deployments/no-such-deployment/events`, { headers: { cookie } });
      expect(missing.status).toBe(404);
    });
  });

  test("without a session the streams and the log route answer 401 before any stream starts", async () => {
    for (const url of [
      "/api/deployments/anything/events",
      "/api/deployments/anything/logs",
      "/api/services/privatetrade/events",
      "/api/services",
    ]) {
      const res = await fetch(`${BASE_URL}${url}`);
      expect(res.status, url).toBe(401);
      expect(res.headers.get("content-type"), url).toContain("application/json");
      expect(((await res.json()) as { error: { code: string } }).error.code, url).toBe("unauthorized");
    }
  });
});
