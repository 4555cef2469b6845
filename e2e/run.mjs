#!/usr/bin/env node
// Runs the end-to-end tests against a production build (`next build` first when there is none).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1", NEXT_TELEMETRY_DISABLED: "1" };
for (const key of ["GREENLIGHT_DATA_DIR", "GREENLIGHT_E2E_DATA_DIR", "GREENLIGHT_E2E_NONCE"]) delete env[key];

function run(args) {
  const result = spawnSync("npx", args, { cwd: root, env, stdio: "inherit" });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.log("No production build found: running next build first");
  const status = run(["next", "build"]);
  if (status !== 0) process.exit(status);
}
process.exit(run(["playwright", "test", "-c", "e2e/playwright.config.ts", ...process.argv.slice(2)]));
