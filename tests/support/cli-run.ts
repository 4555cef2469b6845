// Test support only: runs bin/greenlight.mjs as CI would, in its own process, against a console at a given URL.
import { spawn } from "node:child_process";
import path from "node:path";

const CLI = path.join(process.cwd(), "bin/greenlight.mjs");

export type CliResult = { code: number | null; out: string; err: string };

export type CliOptions = {
  url: string;
  token: string;
  /** `--interval` in ms, left out when not given. */
  interval?: number;
  /** `--timeout` in seconds, left out when not given. */
  timeout?: number;
  /** Added to the child's environment (after GREENLIGHT_TOKEN, so it may override it). */
  env?: Record<string, string>;
  /** The CLI is killed (SIGKILL) when it runs longer than this. */
  killAfterMs?: number;
};

/**
 * Starts the CLI asynchronously (the API it talks to may live in this process) with `--url` and the given flags after
 * `args`, in an environment of NODE_ENV, PATH and GREENLIGHT_TOKEN only. `waitFor` resolves once its output matches.
 */
export function startCli(args: string[], options: CliOptions) {
  const flags = ["--url", options.url];
  if (options.interval !== undefined) flags.push("--interval", String(options.interval));
  if (options.timeout !== undefined) flags.push("--timeout", String(options.timeout));
  const child = spawn(process.execPath, [CLI, ...args, ...flags], {
    env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", GREENLIGHT_TOKEN: options.token, ...options.env },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (err += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 150_000);
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
  const waitFor = async (pattern: RegExp, ms = 60_000) => {
    const until = Date.now() + ms;
    while (!pattern.test(out)) {
      if (Date.now() > until || child.exitCode !== null)
        throw new Error(`the CLI never printed ${pattern}: ${out}${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { result, waitFor };
}

/** Runs the CLI to its end (see `startCli`). */
export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).result;
}

export const lastLine = (text: string) => text.trim().split("\n").at(-1) ?? "";
