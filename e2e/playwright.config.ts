import { defineConfig } from "@playwright/test";
import { SERVER_NODE_OPTIONS } from "../scripts/stack/server-options";
import path from "node:path";
import { BASE_URL, ownDataDir, PORT, REPO_ROOT } from "./support/env";
import { stackConfigFile, stackDataDir } from "./support/stack";

const dataDir = ownDataDir();

export default defineConfig({
  testDir: ".",
  outputDir: path.join(REPO_ROOT, "test-results", "e2e-artifacts"),
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { outputFolder: path.join(REPO_ROOT, "test-results", "e2e-report"), open: "never" }]],
  globalSetup: "./global-setup.ts",
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    video: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "auth-setup", testMatch: /auth\.setup\.ts$/ },
    {
      name: "chromium",
      testMatch: /.*\.spec\.ts$/,
      testIgnore: /(^|[\\/])((auto-)?rollback|alerts)\.spec\.ts$/,
      dependencies: ["auth-setup"],
    },
    // Rollbacks stop a colour and add history the journeys above do not expect, so they run after them (projects run
    // in this order with one worker), the approved rollback before the automatic one.
    { name: "rollback", testMatch: /(^|[\\/])rollback\.spec\.ts$/, dependencies: ["auth-setup"] },
    { name: "auto-rollback", testMatch: /(^|[\\/])auto-rollback\.spec\.ts$/, dependencies: ["auth-setup"] },
    // Deploys a release that goes bad after its watch and rewrites the stack's config for its alert rule: last.
    { name: "alerts", testMatch: /(^|[\\/])alerts\.spec\.ts$/, dependencies: ["auth-setup"] },
  ],
  webServer: {
    // The server starts before the global setup, so the example stack comes up in its command, ahead of next start.
    // If next start exits by itself the global teardown never runs, so the command stops the stack then.
    command: `npx tsx e2e/support/start-stack.ts && { NODE_OPTIONS="${SERVER_NODE_OPTIONS}" npx next start -H 127.0.0.1 -p ${PORT}; s=$?; npx tsx e2e/support/stop-stack-cli.ts; exit $s; }`,
    cwd: REPO_ROOT,
    url: `${BASE_URL}/login`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: "pipe",
    stderr: "pipe",
    // No bootstrap admin: the global setup creates every user and refuses a database that already has some.
    env: {
      GREENLIGHT_DATA_DIR: stackDataDir(dataDir),
      GREENLIGHT_CONFIG: stackConfigFile(dataDir),
      GREENLIGHT_ADMIN_PASSWORD: "",
      NODE_ENV: "production",
    },
  },
});
