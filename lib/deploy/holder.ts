import { processWide } from "@/lib/process-wide";
import fs from "node:fs";
import os from "node:os";
import { isAlive } from "@/lib/process-alive";

/** Where a lease holder runs, precisely enough to prove on the same host that it is dead. */
export type HolderIdentity = { host: string; bootId: string | null; pidStart: string | null };

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8").trim() || null;
  } catch {
    return null;
  }
}

/** The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or null if it is gone. */
export function processStartTime(pid: number): string | null {
  const stat = readOrNull(`/proc/${pid}/stat`);
  if (!stat) return null;
  // Fields after the parenthesised command name start at field 3 (state); starttime is field 22.
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
}

export const bootId = (): string | null => readOrNull("/proc/sys/kernel/random/boot_id");

export const SELF: HolderIdentity = processWide("holder-identity", () => ({
  host: os.hostname(),
  bootId: bootId(),
  pidStart: processStartTime(process.pid),
}));

export type HolderRecord = { ownerPid: number; host: string | null; bootId: string | null; pidStart: string | null };

/**
 * Why the holder is provably dead, or null when it may be alive. Only a holder on this host can be judged: its
 * machine booted since (boot id changed), its pid no longer exists, or the pid now belongs to a process that started
 * at another time (pid reuse). A holder on another host, or recorded before hosts were, is never judged dead.
 */
export function holderGone(holder: HolderRecord, self: HolderIdentity = SELF): string | null {
  if (!holder.host || holder.host !== self.host) return null;
  if (holder.bootId && self.bootId && holder.bootId !== self.bootId)
    return `host ${holder.host} booted again since (boot id changed)`;
  if (!isAlive(holder.ownerPid)) return `pid ${holder.ownerPid} on ${holder.host} no longer exists`;
  const started = processStartTime(holder.ownerPid);
  if (holder.pidStart && started !== null && started !== holder.pidStart)
    return `pid ${holder.ownerPid} on ${holder.host} now belongs to another process (started at tick ${started}, not ${holder.pidStart})`;
  return null;
}
