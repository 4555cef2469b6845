import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./env";
import { STACK } from "./stack";

/**
 * A release that passes every check and its watch, then goes bad on its own: half its answers but health are 500s
 * from 60 s to 100 s after it started, then it recovers. Its watch (20 s of bake) has ended by then, so only an
 * alert rule on the live colour sees it.
 */
export const FLAKY_RELEASE = {
  version: "2.0.9-flaky",
  image: `${STACK.service}:2.0.9-flaky`,
  faultEnv: "FAULT_ERROR_RATE=0.5 FAULT_START_AFTER_MS=60000 FAULT_STOP_AFTER_MS=100000",
} as const;

export async function buildFlakyRelease(): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    "bash",
    [path.join(REPO_ROOT, "scripts", "build-images.sh"), FLAKY_RELEASE.version],
    {
      env: { ...process.env, FAULT_ENV: FLAKY_RELEASE.faultEnv, IMAGE_REPO: STACK.service, FEATURES: "", FORCE: "" },
      timeout: 300_000,
    },
  );
  return stdout.split("\n").filter(Boolean);
}
