import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Fixture } from "./engine-fixture";

const ROOT = path.resolve(__dirname, "../..");

export type ConsoleProcess = {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Everything it printed so far. */
  output: () => string;
  /** Resolves once the API answers (bounded); rejects with its output if it exits or never answers. */
  ready: () => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill: (signal?: NodeJS.Signals) => Promise<void>;
};

/** Starts tests/support/console-process.ts over the fixture's config and data dir, listening on `port`. */
export function startConsole(fx: Fixture, port: number, env: Record<string, string> = {}): ConsoleProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/console-process.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      GREENLIGHT_CONFIG: fx.configFile,
      GREENLIGHT_DATA_DIR: fx.dataDir,
      CONSOLE_PORT: String(port),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out = (out + d).slice(-50_000)));
  child.stderr!.on("data", (d: Buffer) => (out = (out + d).slice(-50_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    pid: child.pid!,
    url,
    output: () => out,
    exited,
    ready: async () => {
      for (let i = 0; i < 300; i++) {
        if (child.exitCode !== null || child.signalCode !== null) break;
        if (/answers on http/.test(out)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the console on ${url} did not come up: ${out}`);
    },
    kill: async (signal = "SIGKILL") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
