import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./env";
import { STACK } from "./stack";

/**
 * A release that passes health and smoke tests but goes bad under watch: it logs database connection errors
 * (5 a second, the trigger is 10 a minute) from the moment it starts. An error-rate fault would be caught by the
 * smoke tests before the switch, which is the engine doing its job, not an automatic rollback.
 */
export const BAD_RELEASE = {
  version: "2.0.9-bad",
  image: `${STACK.service}:2.0.9-bad`,
  faultEnv: "FAULT_DB_ERRORS_PER_MIN=300",
  metric: "database_connection_errors",
} as const;

/** Builds the bad release's image with its fault baked into the image's ENV (idempotent: skipped when up to date). */
export async function buildBadRelease(): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    "bash",
    [path.join(REPO_ROOT, "scripts", "build-images.sh"), BAD_RELEASE.version],
    {
      env: { ...process.env, FAULT_ENV: BAD_RELEASE.faultEnv, IMAGE_REPO: STACK.service, FEATURES: "", FORCE: "" },
      timeout: 300_000,
    },
  );
  return stdout.split("\n").filter(Boolean);
}
