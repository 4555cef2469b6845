import { test as setup } from "@playwright/test";
import { storageStatePath, USERS, type TestUser } from "./support/env";
import { signIn } from "./support/login";

for (const user of Object.keys(USERS) as TestUser[]) {
  setup(`sign in as ${user}`, async ({ page }) => {
    await signIn(page, user);
    await page.context().storageState({ path: storageStatePath(user) });
  });
}
