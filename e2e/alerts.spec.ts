import fs from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import YAML from "yaml";
import { startReceiver, type Receiver } from "@/lib/notify/test-receiver";
import { startTraffic } from "../scripts/stack/traffic";
import { SCREENS_DIR, storageStatePath } from "./support/env";
import { buildFlakyRelease, FLAKY_RELEASE } from "./support/flaky-release";
import { STACK, STACK_LB_URL, stackConfigFile } from "./support/stack";

const SCREENS = path.join(SCREENS_DIR, "alerts");
const SLACK_PORT = 53410;
const configFile = () => stackConfigFile(process.env.GREENLIGHT_E2E_DATA_DIR ?? "");

let slack: Receiver;
let original = "";

/** The Slack messages of one kind the receiver got, by the title Greenlight puts first. */
const slackTitled = (title: string) =>
  slack.requests.filter((r) => {
    const blocks = (r.body as { blocks?: Array<{ text?: { text?: string } }> } | null)?.blocks;
    return blocks?.[0]?.text?.text?.startsWith(`*${title}*`);
  });

async function reloadAsAdmin(browser: Browser) {
  const admin = await browser.newContext({ storageState: storageStatePath("admin") });
  const page = await admin.newPage();
  await page.goto("/settings");
  await page.getByRole("button", { name: "Reload greenlight.yaml" }).click();
  await expect(page.getByTestId("reload-result")).toContainText("Reloaded", { timeout: 15_000 });
  await admin.close();
}

const alertRow = (page: Page) => page.getByTestId("alerts-panel").getByTestId("alert-errors");

test.describe("an alert rule on the live colour", () => {
  test.use({ storageState: storageStatePath("rm") });

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(360_000);
    await buildFlakyRelease();
    slack = await startReceiver(SLACK_PORT);
    // The on-call's rule, short enough for a test: over 5 % of 5xx in the last 5 s, for 6 s.
    original = fs.readFileSync(configFile(), "utf8");
    const doc = YAML.parse(original) as { services: Array<Record<string, unknown>> };
    const service = doc.services.find((s) => s.name === STACK.service)!;
    service.alerts = {
      evaluateEverySeconds: 1,
      rules: [{ name: "errors", metric: "error_rate", above: 5, forSeconds: 6, windowSeconds: 5, minRequests: 5 }],
    };
    service.notifications = [{ type: "slack", webhookUrl: `${slack.url}/services/e2e-alerts` }];
    fs.writeFileSync(configFile(), YAML.stringify(doc));
    await reloadAsAdmin(browser);
  });

  test.afterAll(async ({ browser }) => {
    if (original) {
      fs.writeFileSync(configFile(), original);
      await reloadAsAdmin(browser);
    }
    await slack?.close();
  });

  test("fires after the bake window on a release gone bad, pages Slack once, and resolves once when it recovers", async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const traffic = startTraffic({ lbUrl: STACK_LB_URL, perSecond: 15, maxMs: 240_000 });
    try {
      await page.goto(`/services/${STACK.service}`);
      await page.getByLabel("Release (image tag on this engine)").selectOption(FLAKY_RELEASE.image);
      await page.getByLabel("Promote automatically when every check passes").check();
      await page.getByRole("button", { name: /^Deploy to (blue|green)$/ }).click();
      await expect(page).toHaveURL(/\/deployments\/[\w.-]+$/, { timeout: 15_000 });
      // Its watch passes: the fault has not begun.
      await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "succeeded", {
        timeout: 120_000,
      });
      expect(slackTitled("Alert firing"), "nothing fired during the watch").toHaveLength(0);

      await page.goto(`/services/${STACK.service}/metrics`);
      await expect(alertRow(page)).toHaveAttribute("data-state", "inactive");
      await expect(alertRow(page)).toHaveAttribute("data-state", "firing", { timeout: 90_000 });
      await expect(alertRow(page)).toContainText("error rate > 5 % for 6 s");
      await expect(page).toHaveTitle(`${STACK.service} metrics · alert firing · Greenlight`, { timeout: 20_000 });
      await expect(page.locator('link[rel~="icon"]').first()).toHaveAttribute("href", /icon-alarm\.svg/);
      await page.screenshot({ path: path.join(SCREENS, "board-firing.png"), fullPage: true });
      await page.goto("/");
      await expect(page.getByTestId(`service-card-${STACK.service}`).getByTestId("alert-errors")).toHaveAttribute(
        "data-state",
        "firing",
      );
      await page.screenshot({ path: path.join(SCREENS, "overview-firing.png"), fullPage: true });

      await page.goto(`/services/${STACK.service}/metrics`);
      await expect(alertRow(page)).toHaveAttribute("data-state", "resolved", { timeout: 90_000 });
      await expect(page).toHaveTitle(`${STACK.service} metrics · Greenlight`, { timeout: 20_000 });
      await expect.poll(() => slackTitled("Alert resolved").length, { timeout: 30_000 }).toBe(1);
    } finally {
      traffic.stop();
      await traffic.done;
    }
    // Several evaluations later, still exactly one of each.
    await page.waitForTimeout(5_000);
    expect(slackTitled("Alert firing")).toHaveLength(1);
    expect(slackTitled("Alert resolved")).toHaveLength(1);
    const firing = JSON.stringify(slackTitled("Alert firing")[0]!.body);
    expect(firing).toContain(`${STACK.service} alert errors is firing on`);
    expect(firing).toContain("Trigger: error_rate");
  });
});
