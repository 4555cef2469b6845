import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { createUser } from "@/lib/auth/create-user";
import { createSession } from "@/lib/auth/sessions";
import { SESSION_COOKIE } from "@/lib/auth/cookie";
import type { Role } from "@/lib/auth/roles";
import type { ExampleStackOptions } from "@/scripts/stack/example-stack";
import { REPO_ROOT } from "@/scripts/stack/example-stack";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";

const run = promisify(execFile);
const NEXT_BIN = path.join(REPO_ROOT, "node_modules/.bin/next");
export const BUILD_DIR = path.join(REPO_ROOT, ".next");
export const PASSWORD = "correct-horse-battery-staple";
export const USERS: Record<string, Role> = {
  admin: "admin",
  rm: "release_manager",
  oncall: "oncall",
  viewer: "viewer",
};

function buildRunning(): boolean {
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    if (/next(\0|\s)build/.test(readCmdline(pid))) return true;
  }
  return false;
}

function readCmdline(pid: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return ""; // the process ended while we looked
  }
}

/** A production build to run against: the one present, the one another engineer is making, or a new one. */
export async function ensureBuild(): Promise<void> {
  const id = path.join(BUILD_DIR, "BUILD_ID");
  const deadline = Date.now() + 15 * 60_000;
  while (!fs.existsSync(id) && buildRunning() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2000));
  if (fs.existsSync(id)) return;
  await run("npx", ["next", "build"], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 });
  if (!fs.existsSync(id)) throw new Error("next build finished without .next/BUILD_ID");
}

export type ConsoleServer = {
  fx: Fixture;
  url: string;
  port: number;
  /** `greenlight_session=<token>` per username in USERS. */
  cookies: Record<string, string>;
  /** Everything the server printed so far (stdout and stderr). */
  output: () => string;
  stop: () => Promise<void>;
};

export type ConsoleOptions = {
  stackPort: number;
  port: number;
  name: string;
  adjust?: ExampleStackOptions["adjust"];
  env?: Record<string, string>;
  /** Writes more fixtures (tokens, users) into the console's database before the console opens it. */
  seed?: (db: Fixture["ctx"]["db"]) => Promise<void> | void;
};

/** The example stack with 1.9.0 live on blue, four users with sessions, and `next start` on 127.0.0.1:port against it. */
export async function startConsole(opts: ConsoleOptions): Promise<ConsoleServer> {
  await ensureBuild();
  const fx = await engineFixture(opts.stackPort, opts.name, opts.adjust);
  let proc: ChildProcess | null = null;
  let out = "";
  const stop = async () => {
    if (proc?.pid && proc.exitCode === null) {
      const exited = new Promise((r) => proc!.once("exit", r));
      process.kill(-proc.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) process.kill(-proc.pid, "SIGKILL");
    }
    await fx.cleanup();
  };
  try {
    const installed = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true, by: "setup" });
    if (installed.status !== "succeeded")
      throw new Error(`installing 1.9.0 ended ${installed.status}: ${installed.error}`);
    const cookies: Record<string, string> = {};
    for (const [username, role] of Object.entries(USERS)) {
      const user = await createUser(fx.ctx.db, { username, password: PASSWORD, role });
      cookies[username] = `${SESSION_COOKIE}=${createSession(fx.ctx.db, user.id).token}`;
    }
    await opts.seed?.(fx.ctx.db);
    fx.ctx.db.$client.close();

    const url = `http://127.0.0.1:${opts.port}`;
    proc = spawn(NEXT_BIN, ["start", "-H", "127.0.0.1", "-p", String(opts.port)], {
      cwd: REPO_ROOT,
      detached: true,
      env: {
        ...process.env,
        NODE_ENV: "production",
        GREENLIGHT_CONFIG: fx.configFile,
        GREENLIGHT_DATA_DIR: fx.dataDir,
        GREENLIGHT_ADMIN_PASSWORD: "",
        ...opts.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    await waitForServer(
      url,
      () => proc!.exitCode,
      () => out,
    );
    return { fx, url, port: opts.port, cookies, output: () => out, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForServer(url: string, exitCode: () => number | null, out: () => string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (exitCode() !== null) throw new Error(`next start exited ${exitCode()}:\n${out()}`);
    const res = await fetch(`${url}/login`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`next start did not answer on ${url}:\n${out()}`);
}
