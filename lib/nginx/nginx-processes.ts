import fs from "node:fs";
import { isAlive } from "@/lib/process-alive";

export { isAlive } from "@/lib/process-alive";

export type NginxFiles = { binary: string; mainConfig: string };

/** Debian's compiled-in pid path, used when the main config has no `pid` directive. */
const DEFAULT_PID_FILE = "/run/nginx.pid";

/** The pid file the main config names (first top-level `pid` directive). */
export function pidFilePath(mainConfig: string): string {
  const text = fs.readFileSync(mainConfig, "utf8");
  const match = /^\s*pid\s+([^;\s]+)\s*;/m.exec(text);
  return match?.[1] ?? DEFAULT_PID_FILE;
}

function cmdline(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
  } catch {
    return null; // the process is gone
  }
}

/** The master's pid when the pid file names a live nginx master, else null. */
export function masterPid(nginx: NginxFiles): number | null {
  let text: string;
  try {
    text = fs.readFileSync(pidFilePath(nginx.mainConfig), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const cmd = cmdline(pid);
  return cmd !== null && cmd.startsWith("nginx: master process") ? pid : null;
}

export type WorkerProcess = { pid: number; shuttingDown: boolean };

/** The master's child processes that are workers, from /proc (never from `ps` text). */
export function workerProcesses(master: number): WorkerProcess[] {
  const out: WorkerProcess[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we were looking
    }
    // Fields after the parenthesised command name: state, ppid, ...
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid !== master) continue;
    const cmd = cmdline(Number(entry));
    if (cmd === null || !cmd.startsWith("nginx: worker process")) continue;
    out.push({ pid: Number(entry), shuttingDown: cmd.includes("shutting down") });
  }
  return out;
}
