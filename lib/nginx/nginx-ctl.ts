import { processWide } from "@/lib/process-wide";
import { execFile } from "node:child_process";
import fs from "node:fs";
import { AppError } from "@/lib/errors";
import { isAlive, masterPid, pidFilePath, workerProcesses, type NginxFiles } from "./nginx-processes";

export type { NginxFiles } from "./nginx-processes";
export { masterPid } from "./nginx-processes";

export class NginxError extends AppError {
  override readonly code = "nginx_failed";
  constructor(
    message: string,
    readonly output: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(binary: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ ok: !error, output: `${stdout}${stderr}`.trim() || (error ? error.message : "") });
    });
  });
}

/** `nginx -t` on the main config; output is nginx's own text. */
export function testConfig(nginx: NginxFiles): Promise<{ ok: boolean; output: string }> {
  return run(nginx.binary, ["-t", "-q", "-c", nginx.mainConfig]);
}

/** Workers that existed before the last reload of each main config, so drain can wait for exactly them. */
// Process-wide (Next loads a module once per server bundle): the drain must see every reload's old workers.
const oldWorkersByConfig = processWide("nginx-old-workers", () => new Map<string, Set<number>>());
export function recordedOldWorkers(mainConfig: string): number[] {
  return [...(oldWorkersByConfig.get(mainConfig) ?? [])];
}
export function forgetOldWorkers(mainConfig: string, pids: number[]): void {
  const recorded = oldWorkersByConfig.get(mainConfig);
  pids.forEach((pid) => recorded?.delete(pid));
}

/**
 * `nginx -s reload`, then waits (bounded) until the master has started workers of the new
 * generation and every old worker has stopped accepting (shutting down or gone). The master
 * itself waits ~100 ms after starting new workers before it tells the old ones to quit. `confirmed: false` means the master kept its old workers (for instance because the
 * new config failed to load): callers must verify through nginx anyway.
 */
export async function reload(
  nginx: NginxFiles,
  options: { confirmMs?: number } = {},
): Promise<{ confirmed: boolean; oldWorkers: number[]; signalMs: number }> {
  const master = masterPid(nginx);
  if (master === null) throw new NginxError("nginx is not running, so it cannot be reloaded", "");
  const before = workerProcesses(master).map((w) => w.pid);
  const signalStarted = performance.now();
  const result = await run(nginx.binary, ["-s", "reload", "-c", nginx.mainConfig]);
  const signalMs = performance.now() - signalStarted;
  if (!result.ok) throw new NginxError("nginx refused the reload signal", result.output);
  const recorded = oldWorkersByConfig.get(nginx.mainConfig) ?? new Set<number>();
  before.forEach((pid) => recorded.add(pid));
  oldWorkersByConfig.set(nginx.mainConfig, recorded);

  const deadline = Date.now() + (options.confirmMs ?? 3000);
  while (Date.now() < deadline) {
    const now = workerProcesses(master);
    const fresh = now.some((w) => !before.includes(w.pid));
    const oldStillAccepting = now.some((w) => before.includes(w.pid) && !w.shuttingDown);
    if (fresh && !oldStillAccepting) return { confirmed: true, oldWorkers: before, signalMs };
    await sleep(10);
  }
  return { confirmed: false, oldWorkers: before, signalMs };
}

export function isRunning(nginx: NginxFiles): boolean {
  return masterPid(nginx) !== null;
}

/** Starts nginx as a daemon with this main config and waits for its master to be up. */
export async function startNginx(nginx: NginxFiles, options: { timeoutMs?: number } = {}): Promise<number> {
  const existing = masterPid(nginx);
  if (existing !== null) return existing;
  const result = await run(nginx.binary, ["-c", nginx.mainConfig]);
  if (!result.ok) {
    const reason =
      result.output.split("\n").find((l) => /\[(emerg|alert|crit)\]/.test(l)) ?? result.output.split("\n")[0] ?? "";
    throw new NginxError(
      `nginx did not start: ${reason
        .replace(/^nginx: /, "")
        .trim()
        .slice(0, 300)}`,
      result.output,
    );
  }
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  while (Date.now() < deadline) {
    const pid = masterPid(nginx);
    if (pid !== null) return pid;
    await sleep(20);
  }
  throw new NginxError(`nginx started but wrote no pid file at ${pidFilePath(nginx.mainConfig)}`, result.output);
}

/**
 * Graceful stop (`nginx -s quit`: in-flight requests finish), bounded by timeoutMs; after that the
 * master gets SIGTERM (fast shutdown). Returns false when the master was still alive at the end.
 */
export async function stopNginx(nginx: NginxFiles, options: { timeoutMs?: number } = {}): Promise<boolean> {
  const master = masterPid(nginx);
  if (master === null) return true;
  const result = await run(nginx.binary, ["-s", "quit", "-c", nginx.mainConfig]);
  if (!result.ok) process.kill(master, "SIGQUIT");
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    if (!isAlive(master)) return true;
    await sleep(25);
  }
  process.kill(master, "SIGTERM");
  for (let i = 0; i < 40 && isAlive(master); i++) await sleep(25);
  if (!isAlive(master)) fs.rmSync(pidFilePath(nginx.mainConfig), { force: true });
  return !isAlive(master);
}
