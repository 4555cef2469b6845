import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { storageStatePath } from "./support/env";
import { STACK } from "./support/stack";

/** Runs axe (WCAG 2.x A/AA) on the page as it is and returns the serious and critical violations, described. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 5)
          .join(" | ")}`,
    );
}

async function firstDeploymentPath(page: Page): Promise<string> {
  await page.goto(`/services/${STACK.service}`);
  const href = await page.getByTestId("history").getByRole("link").first().getAttribute("href");
  expect(href).toMatch(/^\/deployments\//);
  return href!;
}

test("the sign-in page has no serious accessibility violations", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByLabel("Username")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

for (const theme of ["dark", "light"] as const) {
  test.describe(`console pages in the ${theme} theme`, () => {
    test.use({ storageState: storageStatePath("admin") });

    test.beforeEach(async ({ context, baseURL }) => {
      await context.addCookies([{ name: "greenlight_theme", value: theme, url: baseURL! }]);
    });

    test("overview, service, deployment, audit, settings and metrics have no serious or critical violations", async ({
      page,
    }) => {
      test.setTimeout(90_000);
      const deployment = await firstDeploymentPath(page);
      const pages: Array<[string, string]> = [
        ["/", "Services"],
        [`/services/${STACK.service}`, STACK.service],
        [deployment, STACK.service],
        ["/audit", "Audit trail"],
        ["/settings", "Settings"],
        [`/services/${STACK.service}/metrics`, STACK.service],
      ];
      const found: Record<string, string[]> = {};
      for (const [path, heading] of pages) {
        await page.goto(path);
        await expect(page.locator("html")).toHaveClass(theme);
        await expect(page.getByRole("heading", { level: 1 })).toContainText(heading);
        const violations = await seriousViolations(page);
        if (violations.length) found[path] = violations;
      }
      expect(found).toEqual({});
    });
  });
}

test.describe("keyboard", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("the top bar is reachable by Tab with a visible focus ring, and the theme toggle works from the keyboard", async ({
    page,
  }) => {
    await page.goto("/audit");
    await page.keyboard.press("Tab");
    const focused = page.locator(":focus");
    await expect(focused).toHaveText("Greenlight");
    const outline = await focused.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe("none");
    await page.getByTestId("theme-toggle").focus();
    await page.keyboard.press("Enter");
    await expect(page.locator("html")).toHaveClass("light");
    await page.reload();
    await expect(page.locator("html")).toHaveClass("light");
    await page.getByTestId("theme-toggle").press("Enter");
    await expect(page.locator("html")).toHaveClass("dark");
  });
});
