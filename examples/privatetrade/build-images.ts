import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { BUILD_IMAGES_SCRIPT } from "./paths";

const run = promisify(execFile);

interface BuildImagesOptions {
  /** Versions to build; default 1.9.0 and 2.0.0. */
  versions?: string[];
  /** Image repository; default `privatetrade`. Tests use their own prefix. */
  repo?: string;
  /** Feature set baked in; default v2 for major >= 2, else v1. */
  features?: "v1" | "v2";
  force?: boolean;
}

/** Runs scripts/build-images.sh (idempotent) and returns its report lines. */
export async function buildPrivatetradeImages(options: BuildImagesOptions = {}): Promise<string[]> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.repo) env.IMAGE_REPO = options.repo;
  if (options.features) env.FEATURES = options.features;
  if (options.force) env.FORCE = "1";
  else delete env.FORCE;
  const { stdout } = await run("bash", [BUILD_IMAGES_SCRIPT, ...(options.versions ?? [])], {
    env,
    timeout: 300_000,
    maxBuffer: 1024 * 1024,
  });
  return stdout.split("\n").filter(Boolean);
}
