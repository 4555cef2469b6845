import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { BASE_URL, SCREENS_DIR, storageStatePath } from "./support/env";
import { STACK } from "./support/stack";

const SCREENS = path.join(SCREENS_DIR, "console");

async function firstDeploymentId(page: Page): Promise<string> {
  await page.goto(`/services/${STACK.service}`);
  const href = await page.getByTestId("history").getByRole("link").first().getAttribute("href");
  expect(href).toMatch(/^\/deployments\/[\w.-]+$/);
  return href!.split("/").pop()!;
}

test.describe.serial("the console as one product", () => {
  test.describe("as a viewer", () => {
    test.use({ storageState: storageStatePath("viewer") });

    test("sees no action controls on the service, deployment and settings pages", async ({ page }) => {
      const id = await firstDeploymentId(page);
      await expect(page.getByTestId("slot-blue")).toContainText("live: nginx serves this");
      await expect(page.getByText("Deploy a release")).toHaveCount(0);
      await expect(page.getByRole("button", { name: /Deploy to/ })).toHaveCount(0);

      await page.goto(`/deployments/${id}`);
      await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "succeeded");
      await expect(page.getByRole("button", { name: /Promote|Abort|Retry|Roll ?back|Approve|Reject/i })).toHaveCount(0);

      await page.goto("/settings");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Settings");
      await expect(page.getByTestId(`settings-service-${STACK.service}`)).toBeVisible();
      await expect(page.getByRole("main").getByRole("button")).toHaveCount(0);
      await expect(page.getByTestId("settings-users")).toHaveCount(0);
      await expect(page.getByTestId("settings-tokens")).toHaveCount(0);
    });

    test("direct calls are refused: the audit page, its export and the deployments API", async ({ page }) => {
      await page.goto("/audit");
      await expect(page.getByTestId("forbidden")).toContainText("needs the on-call or higher role");
      await expect(page.getByTestId("audit-table")).toHaveCount(0);

      const exported = await page.request.get("/api/audit/export?format=csv");
      expect(exported.status()).toBe(403);
      expect(exported.headers()["content-disposition"]).toBeUndefined();

      const id = await firstDeploymentId(page);
      const promote = await page.request.post(`/api/v1/deployments/${id}/promote`, { headers: { origin: BASE_URL } });
      expect(promote.status()).toBe(403);
      const start = await page.request.post(`/api/v1/services/${STACK.service}/deployments`, {
        headers: { origin: BASE_URL },
        data: { image: "privatetrade:2.0.0" },
      });
      expect(start.status()).toBe(403);
    });
  });

  test.describe("as a release manager", () => {
    test.use({ storageState: storageStatePath("rm") });

    test("deploying the release that already serves is answered and audited", async ({ page }) => {
      await page.goto(`/services/${STACK.service}`);
      await page.getByLabel("Release (image tag on this engine)").selectOption("privatetrade:1.9.0");
      await page.getByRole("button", { name: "Deploy to green" }).click();
      await expect(page.getByRole("status").filter({ hasText: "already serves 1.9.0 from blue" })).toBeVisible();
    });
  });

  test.describe("as on-call", () => {
    test.use({ storageState: storageStatePath("oncall") });

    test("the audit page shows sign-ins, the deploy and the refused promote, with the chain intact, and exports them", async ({
      page,
    }) => {
      await page.goto("/audit");
      await expect(page.getByTestId("audit-chain")).toHaveAttribute("data-ok", "true");
      await expect(page.getByTestId("audit-chain")).toContainText(/Audit chain intact: \d+ entries verified/);

      await page.getByLabel("Action").fill("deployment.start");
      await page.getByRole("button", { name: "Filter" }).click();
      await expect(page).toHaveURL(/[?&]action=deployment\.start/);
      const start = page.getByTestId("audit-row").filter({ hasText: "rm" }).first();
      await expect(start).toContainText("already serves 1.9.0 from blue");
      await expect(start).toHaveAttribute("data-outcome", "ok");

      await page.goto("/audit?action=deployment.promote&outcome=denied");
      await expect(page.getByLabel("Outcome")).toHaveValue("denied");
      const promote = page.getByTestId("audit-row").filter({ hasText: "viewer" }).first();
      await expect(promote).toContainText("This needs the release_manager or higher role");

      await page.goto("/audit?action=auth.login");
      for (const user of ["admin", "rm", "oncall", "viewer"]) {
        await expect(
          page
            .getByTestId("audit-row")
            .filter({ hasText: `user:${user}` })
            .first(),
        ).toHaveAttribute("data-outcome", "ok");
      }

      await page.goto("/audit");
      await page.screenshot({ path: path.join(SCREENS, "audit.png"), fullPage: true });

      const csv = await page.request.get("/api/audit/export?format=csv&action=deployment.start");
      expect(csv.status()).toBe(200);
      expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="greenlight-audit-.+\.csv"$/);
      const text = await csv.text();
      expect(text.split("\r\n")[0]).toContain('"action"');
      expect(text).toContain('"deployment.start"');
      expect(text).not.toContain('"deployment.promote"');
      const json = await page.request.get("/api/audit/export?format=json&outcome=denied");
      const rows = (await json.json()) as Array<{ outcome: string; action: string }>;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.outcome === "denied")).toBe(true);
      expect(rows.map((r) => r.action)).toContain("audit.export");
    });
  });

  test.describe("as an admin", () => {
    test.use({ storageState: storageStatePath("admin") });

    test("settings show the configuration with users and API tokens, never a hash", async ({ page }) => {
      await page.goto("/settings");
      await expect(page.getByTestId(`settings-service-${STACK.service}`)).toContainText("/api/health");
      await expect(page.getByTestId("users-table")).toContainText("viewer");
      await expect(page.getByTestId("settings-tokens")).toBeVisible();
      expect(await page.content()).not.toMatch(/scrypt\$|password_hash|token_hash/i);
      await page.screenshot({ path: path.join(SCREENS, "settings.png"), fullPage: true });
    });

    test("reloads greenlight.yaml from the settings page: an unchanged file says so", async ({ page }) => {
      await page.goto("/settings");
      await expect(page.getByTestId("settings-config")).toContainText("greenlight.yaml");
      await page.getByRole("button", { name: "Reload greenlight.yaml" }).click();
      await expect(page.getByTestId("reload-result")).toHaveText(
        "Reloaded: no changes. Deployments under way keep the config they started with.",
      );
    });
  });
});
