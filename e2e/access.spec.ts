import { expect, test } from "@playwright/test";
import { BASE_URL, storageStatePath } from "./support/env";

test.describe("as a viewer", () => {
  test.use({ storageState: storageStatePath("viewer") });

  test("sees the console as viewer", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("current-user")).toContainText("viewer");
    await expect(page.getByTestId("current-user")).toContainText("Viewer");
  });

  test("cannot reach admin-only actions", async ({ page }) => {
    const list = await page.request.get("/api/auth/users");
    expect(list.status()).toBe(403);
    expect(await list.json()).toEqual({
      error: { code: "forbidden", message: "This needs the admin or higher role; you are viewer" },
    });
    const revoke = await page.request.delete("/api/auth/users/admin/sessions", { headers: { origin: BASE_URL } });
    expect(revoke.status()).toBe(403);
    const me = await page.request.get("/api/auth/session");
    expect(await me.json()).toMatchObject({ user: { username: "viewer", role: "viewer" } });
  });
});

test.describe("as an admin", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("can list users, never with password hashes", async ({ page }) => {
    const res = await page.request.get("/api/auth/users");
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { users: Array<Record<string, unknown>> };
    expect(body.users.map((u) => `${String(u.username)}:${String(u.role)}`)).toEqual([
      "admin:admin",
      "oncall:oncall",
      "rm:release_manager",
      "viewer:viewer",
    ]);
    expect(JSON.stringify(body)).not.toMatch(/scrypt|password/i);
  });

  test("a cross-origin state change is refused even with an admin cookie", async ({ page }) => {
    const res = await page.request.delete("/api/auth/users/viewer/sessions", {
      headers: { origin: "https://evil.example" },
    });
    expect(res.status()).toBe(403);
    expect((await res.json()).error).toMatchObject({
      code: "forbidden",
      message: expect.stringMatching(/Cross-origin request refused/),
    });
    const still = await page.request.get("/api/auth/session");
    expect(still.status()).toBe(200);
  });
});

test.describe("without a session", () => {
  test("pages redirect to sign-in and APIs answer 401, forged middleware header or not", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
    const forged = { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" };
    for (const url of ["/api/auth/session", "/api/auth/users"]) {
      expect((await page.request.get(url)).status()).toBe(401);
      expect((await page.request.get(url, { headers: forged })).status()).toBe(401);
    }
    const html = await page.request.get("/", { headers: forged, maxRedirects: 0 });
    expect(html.status()).toBeGreaterThanOrEqual(300);
    expect(await html.text()).not.toContain("current-user");
  });
});
