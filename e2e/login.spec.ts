import path from "node:path";
import { expect, test } from "@playwright/test";
import { SCREENS_DIR, USERS } from "./support/env";
import { signIn } from "./support/login";

test.describe("sign-in page", () => {
  test("a wrong password shows the error inline and no session is created", async ({ page, context }) => {
    await page.goto("/login");
    await page.screenshot({ path: path.join(SCREENS_DIR, "login.png"), fullPage: true });
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong username or password");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByLabel("Username")).toHaveValue("admin");
    await page.screenshot({ path: path.join(SCREENS_DIR, "login-wrong-password.png"), fullPage: true });
    expect((await context.cookies()).find((c) => c.name === "greenlight_session")).toBeUndefined();
  });

  test("the right password lands on the overview with name and role", async ({ page, context }) => {
    await signIn(page, "rm");
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { name: "Services" })).toBeVisible();
    const who = page.getByTestId("current-user");
    await expect(who).toContainText(USERS.rm.username);
    await expect(who).toContainText("Release manager");
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }),
    ).toHaveAttribute("aria-current", "page");
    const cookie = (await context.cookies()).find((c) => c.name === "greenlight_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", secure: false });
    await page.screenshot({ path: path.join(SCREENS_DIR, "overview-rm.png"), fullPage: true });
  });

  test("signing in from a browser that has a session issues a new token and ends the old one", async ({
    page,
    browser,
  }) => {
    await signIn(page, "oncall");
    const first = (await page.context().cookies()).find((c) => c.name === "greenlight_session");
    expect(first?.value).toBeTruthy();
    const other = await browser.newContext();
    try {
      const tab = await other.newPage();
      await tab.goto("/login");
      await other.addCookies([{ ...first!, expires: -1 }]);
      await tab.getByLabel("Username").fill("oncall");
      await tab.getByLabel("Password").fill("e2e-oncall-password");
      await tab.getByRole("button", { name: "Sign in" }).click();
      await expect(tab.getByTestId("current-user")).toContainText("oncall");
      const second = (await other.cookies()).find((c) => c.name === "greenlight_session")?.value;
      expect(second).toBeTruthy();
      expect(second).not.toBe(first?.value);
    } finally {
      await other.close();
    }
    const old = await page.request.get("/api/auth/session");
    expect(old.status()).toBe(401);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("a deep link without a session comes back after sign-in", async ({ page }) => {
    await page.goto("/?view=compact");
    await expect(page).toHaveURL(/\/login\?next=%2F%3Fview%3Dcompact$/);
    await page.getByLabel("Username").fill("viewer");
    await page.getByLabel("Password").fill("e2e-viewer-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/\?view=compact$/);
    await expect(page.getByTestId("current-user")).toContainText("viewer");
  });

  test("a same-site next path is honoured, a foreign one is not", async ({ page }) => {
    await signIn(page, "viewer", "/?from=e2e");
    await expect(page).toHaveURL(/\/\?from=e2e$/);
    await page.context().clearCookies();
    await signIn(page, "viewer", "https://example.com/phish");
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  test("sign out ends the session on the server", async ({ page, context }) => {
    await signIn(page, "admin");
    const token = (await context.cookies()).find((c) => c.name === "greenlight_session")?.value;
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    expect((await context.cookies()).find((c) => c.name === "greenlight_session")).toBeUndefined();
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
    const replay = await page.request.get("/api/auth/session", { headers: { cookie: `greenlight_session=${token}` } });
    expect(replay.status()).toBe(401);
  });

  test("repeated wrong passwords are refused with the wait named", async ({ page }) => {
    await page.goto("/login");
    const alert = page.getByRole("main").getByRole("alert");
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("Username").fill("e2e-nobody");
      await page.getByLabel("Password").fill(`guess-number-${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(alert).toHaveText("Wrong username or password");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    }
    await page.getByLabel("Username").fill("e2e-nobody");
    await page.getByLabel("Password").fill("guess-number-6");
    await page.getByRole("button", { name: "Sign in" }).click();
    // No account lock: this browser's address waits (30 s after five failures), the wait named.
    await expect(alert).toHaveText(/^Too many failed sign-in attempts\. Try again in \d+ (seconds?|minutes?)\.$/);
    await page.screenshot({ path: path.join(SCREENS_DIR, "login-rate-limited.png"), fullPage: true });
  });
});
