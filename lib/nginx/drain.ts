import { forgetOldWorkers, recordedOldWorkers } from "./nginx-ctl";
import type { NginxFiles } from "./nginx-processes";
import { masterPid, workerProcesses } from "./nginx-processes";

export type DrainResult = { drained: boolean; waitedMs: number; remaining: number[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long a pre-reload worker may look like a normal worker before we take it for a reused pid. */
const SIGNAL_GRACE_MS = 2000;

/**
 * After a reload, old workers keep serving their in-flight requests ("worker process is shutting
 * down"). Waits until none remain: the workers that existed before this process's reloads, plus
 * any child of the master marked as shutting down. The engine stops the old slot only after this.
 */
export async function waitForOldWorkers(
  nginx: NginxFiles,
  options: { timeoutMs: number; intervalMs?: number; oldWorkers?: number[] },
): Promise<DrainResult> {
  const started = performance.now();
  const interval = options.intervalMs ?? 50;
  const known = new Set([...(options.oldWorkers ?? []), ...recordedOldWorkers(nginx.mainConfig)]);
  for (;;) {
    const waitedMs = performance.now() - started;
    const master = masterPid(nginx);
    const workers = master === null ? [] : workerProcesses(master);
    const remaining = workers
      .filter((w) => w.shuttingDown || (known.has(w.pid) && waitedMs < SIGNAL_GRACE_MS))
      .map((w) => w.pid);
    forgetOldWorkers(
      nginx.mainConfig,
      [...known].filter((pid) => !remaining.includes(pid)),
    );
    if (remaining.length === 0) return { drained: true, waitedMs, remaining };
    if (waitedMs >= options.timeoutMs) return { drained: false, waitedMs, remaining };
    await sleep(interval);
  }
}
