import fs from "node:fs";
import path from "node:path";
import { createUser } from "@/lib/auth/create-user";
import { loadConfig } from "@/lib/config/load";
import { openDb } from "@/lib/db/client";
import { assertOwnedDataDir, AUTH_DIR, FIXTURE_CONFIG, REPO_ROOT, SCREENS_DIR, USERS } from "./support/env";
import { stackDataDir } from "./support/stack";
import { stopStack } from "./support/stop-stack";

/** Fills the run's own temp database with one user per role; removes the dir afterwards. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = assertOwnedDataDir();
  loadConfig(FIXTURE_CONFIG);
  // The web server runs on the example stack's database (see playwright.config.ts).
  const db = openDb(path.join(stackDataDir(dir), "greenlight.db"), path.join(REPO_ROOT, "migrations"));
  try {
    const existing = db.$client.prepare("SELECT count(*) AS n FROM users").get() as { n: number };
    if (existing.n > 0) throw new Error(`Refusing to run the e2e tests: ${dir} already has users, so it is not fresh`);
    for (const user of Object.values(USERS)) await createUser(db, user);
  } finally {
    db.$client.close();
  }
  fs.rmSync(AUTH_DIR, { recursive: true, force: true });
  fs.mkdirSync(AUTH_DIR, { recursive: true });
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  return async () => {
    await stopStack(dir);
    if (process.env.GREENLIGHT_E2E_KEEP === "1") return;
    assertOwnedDataDir();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(AUTH_DIR, { recursive: true, force: true });
  };
}
