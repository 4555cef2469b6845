import { expect, type Page } from "@playwright/test";
import { USERS, type TestUser } from "./env";

/** Signs in through the real sign-in page and waits for the console. */
export async function signIn(page: Page, user: TestUser, next?: string): Promise<void> {
  const { username, password } = USERS[user];
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText(username);
}
