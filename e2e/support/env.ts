import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const PORT = Number(process.env.GREENLIGHT_E2E_PORT ?? 3199);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
export const FIXTURE_CONFIG = path.join(REPO_ROOT, "e2e", "fixtures", "greenlight.yaml");
export const AUTH_DIR = path.join(REPO_ROOT, "test-results", "e2e-auth");
export const SCREENS_DIR = path.join(REPO_ROOT, "test-results", "e2e-screens");
const MARKER = ".greenlight-e2e-owner";

/** Test users, one per role; the passwords exist only in this temporary database. */
export const USERS = {
  admin: { username: "admin", password: "e2e-admin-password", role: "admin" },
  rm: { username: "rm", password: "e2e-rm-password", role: "release_manager" },
  oncall: { username: "oncall", password: "e2e-oncall-password", role: "oncall" },
  viewer: { username: "viewer", password: "e2e-viewer-password", role: "viewer" },
} as const;
export type TestUser = keyof typeof USERS;

export const storageStatePath = (user: TestUser) => path.join(AUTH_DIR, `${user}.json`);

/**
 * Creates the run's data directory once (the config is evaluated again in every worker, which
 * inherits the variables): a fresh temp dir with a marker holding a random nonce, so the global
 * setup can prove the database it is about to fill is one this run made.
 */
export function ownDataDir(): string {
  const existing = process.env.GREENLIGHT_E2E_DATA_DIR;
  if (existing) {
    process.env.GREENLIGHT_DATA_DIR = existing;
    return existing;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-e2e-"));
  const nonce = crypto.randomBytes(16).toString("hex");
  fs.writeFileSync(path.join(dir, MARKER), nonce);
  process.env.GREENLIGHT_E2E_DATA_DIR = dir;
  process.env.GREENLIGHT_E2E_NONCE = nonce;
  process.env.GREENLIGHT_DATA_DIR = dir;
  process.env.GREENLIGHT_CONFIG = FIXTURE_CONFIG;
  return dir;
}

/** Throws unless GREENLIGHT_DATA_DIR is the temp dir this run created (right nonce, under the temp root). */
export function assertOwnedDataDir(): string {
  const dir = process.env.GREENLIGHT_DATA_DIR;
  const owned = process.env.GREENLIGHT_E2E_DATA_DIR;
  const nonce = process.env.GREENLIGHT_E2E_NONCE;
  const refuse = (why: string): never => {
    throw new Error(
      `Refusing to run the e2e tests: ${why}. They only ever write to a temp dir they created themselves.`,
    );
  };
  if (!dir || !owned || !nonce)
    return refuse("the run's temp data dir is not set up (start through e2e/playwright.config.ts)");
  if (path.resolve(dir) !== path.resolve(owned))
    return refuse(`GREENLIGHT_DATA_DIR is ${dir}, not this run's temp dir`);
  const tmp = fs.realpathSync(os.tmpdir());
  const real = fs.realpathSync(dir);
  if (!real.startsWith(tmp + path.sep) || !path.basename(real).startsWith("greenlight-e2e-")) {
    return refuse(`${dir} is not a greenlight-e2e-* dir under ${tmp}`);
  }
  const marker = path.join(real, MARKER);
  if (!fs.existsSync(marker) || fs.readFileSync(marker, "utf8") !== nonce)
    return refuse(`${dir} was not created by this run`);
  return real;
}
