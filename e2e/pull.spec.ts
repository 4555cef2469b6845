import { expect, test } from "@playwright/test";
import { createUser } from "../lib/auth/create-user";
import { startDeployment } from "../lib/deploy/start-deployment";
import { pushPullableRelease, removeLocalImages, testRegistry } from "../lib/docker/registry-test-fixture";
import { pushImage } from "../lib/docker/push";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createExampleStack, type ExampleStack } from "../scripts/stack/example-stack";
import { startCliTarget, type CliTarget } from "../tests/support/cli-target";
import { startThrottleProxy } from "./support/throttle-proxy";

// A console of its own (next start over its own stack) whose service pulls from the local registry with credentials.
const registry = testRegistry();
// The console pulls through a proxy that passes ~25 MB/s on, so the 300 MB layer takes ~12 s however fast the machine.
const PROXY_PORT = 47676;
const PROXY_HOST = `127.0.0.1:${PROXY_PORT}`;
const PUSHED = `${registry.host}/gl-e2e-pull/privatetrade`;
const REPO = `${PROXY_HOST}/gl-e2e-pull/privatetrade`;
const PASSWORD_ENV = "GL_E2E_PULL_REGISTRY_PASSWORD";
const USER = { username: "puller", password: "e2e-puller-password", role: "release_manager" } as const;
let stack: ExampleStack;
let root = "";
let server: CliTarget;
let proxy: { close: () => Promise<void> } | undefined;

test.describe.serial("a release pulled from the registry", () => {
  test.beforeAll(async () => {
    test.setTimeout(300_000);
    process.env[PASSWORD_ENV] = registry.password;
    await removeLocalImages(REPO);
    await removeLocalImages(PUSHED);
    await pushImage({ source: "privatetrade:1.9.0", target: `${PUSHED}:1.9.0`, auth: registry.auth });
    // A layer the engine does not have, big enough that the pull lasts several of the page's updates.
    await pushPullableRelease({
      base: "privatetrade:2.0.0",
      target: `${PUSHED}:2.0.0`,
      ballastBytes: 300_000_000,
      registry,
    });
    await removeLocalImages(PUSHED);
    const [host, port] = registry.host.split(":");
    proxy = await startThrottleProxy(PROXY_PORT, { host: host!, port: Number(port) }, 25_000_000);
    // The example images exist: the e2e web server built them before this runs.
    root = fs.mkdtempSync(path.join(os.tmpdir(), "gl-e2e-pull-"));
    stack = await createExampleStack({
      root,
      lbPort: 47670,
      bluePort: 47671,
      greenPort: 47672,
      service: "gl-e2e-pull",
      sweepOrphans: true,
      registries: [{ host: PROXY_HOST, username: registry.username, password: { fromEnv: PASSWORD_ENV } }],
      adjust: (svc) => {
        svc.image = REPO;
        svc.watch.bakeSeconds = 0;
        svc.health.deadlineSeconds = 30;
      },
    });
    const blue = await startDeployment(
      stack.ctx,
      { service: stack.service.name, image: `${REPO}:1.9.0`, autoPromote: true },
      "setup",
    );
    if (blue.noop) throw new Error(blue.message);
    await blue.pipeline;
    await createUser(stack.ctx.db, USER);
    server = await startCliTarget(stack, 47675);
  });
  test.afterAll(async () => {
    await server?.close();
    await stack?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
    await proxy?.close();
    await removeLocalImages(REPO);
    await removeLocalImages(PUSHED);
  });

  test("deploys a release that must be pulled, watches the progress bar move, and promotes it", async ({ browser }) => {
    test.setTimeout(240_000);
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Username").fill(USER.username);
    await page.getByLabel("Password").fill(USER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("current-user")).toContainText(USER.username);

    await page.goto(`/services/${stack.service.name}`);
    await page.getByLabel("Or a release to pull from the registry").fill(`${REPO}:2.0.0`);
    await page.getByRole("button", { name: "Deploy to green" }).click();
    await expect(page).toHaveURL(/\/deployments\/[\w.-]+$/, { timeout: 15_000 });

    const bar = page.getByTestId("pull-progress");
    await expect(bar).toBeVisible({ timeout: 30_000 });
    const seen = new Set<number>();
    await expect
      .poll(
        async () => {
          const value = await bar.getAttribute("data-percent", { timeout: 1000 }).catch(() => null);
          if (value !== null) seen.add(Number(value));
          return seen.size;
        },
        {
          message: "the bar shows at least two different percentages while the image is pulled",
          timeout: 60_000,
          intervals: [100],
        },
      )
      .toBeGreaterThan(1);
    expect([...seen].every((p) => p >= 0 && p <= 100)).toBe(true);
    expect(
      [...seen].some((p) => p > 0 && p < 100),
      `percentages seen: ${[...seen].join(", ")}`,
    ).toBe(true);

    await expect(page.getByTestId("phase-pull")).toHaveAttribute("data-status", "passed", { timeout: 120_000 });
    await expect(page.getByTestId("phase-pull")).toContainText(`pulled ${REPO}:2.0.0 from ${PROXY_HOST}`);
    await expect(page.getByTestId("image-digest")).toHaveText(/^sha256:[a-f0-9]{12}$/);
    await expect(page.getByTestId("gate-banner")).toContainText("Ready to promote", { timeout: 120_000 });
    await page.getByRole("button", { name: "Promote green" }).click();
    await page.getByRole("dialog", { name: "Promote green?" }).getByRole("button", { name: "Promote green" }).click();
    await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "succeeded", {
      timeout: 120_000,
    });
    const served = (await (await fetch(`${stack.lbUrl}/api/health`)).json()) as { version: string };
    expect(served.version).toBe("2.0.0");
    await context.close();
  });
});
