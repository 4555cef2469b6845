/** Fault knobs read from the environment, so tests can make a release misbehave on purpose. */
export interface Faults {
  healthFail: boolean;
  crashOnStart: boolean;
  startupDelayMs: number;
  latencyMs: number;
  errorRate: number;
  memoryGrowthMbPerS: number;
  /** Growth stops once this much is retained (0: the 2 GB cap), so a release can sit just over a threshold. */
  memoryCapMb: number;
  dbErrorsPerMin: number;
  wrongVersion: string | null;
  /** The request faults (latency, error rate) begin this long after start (0: at once)... */
  startAfterMs: number;
  /** ...and end this long after start (0: never): a release that goes bad after its bake window, then recovers. */
  stopAfterMs: number;
}

function num(value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || value.trim() === "" || !Number.isFinite(n)) return 0;
  return Math.min(max, Math.max(min, n));
}

const flag = (value: string | undefined): boolean => value === "1" || value?.toLowerCase() === "true";

export function readFaults(env: Readonly<Record<string, string | undefined>>): Faults {
  const wrong = env.FAULT_WRONG_VERSION?.trim();
  return {
    healthFail: flag(env.FAULT_HEALTH_FAIL),
    crashOnStart: flag(env.FAULT_CRASH_ON_START),
    startupDelayMs: num(env.FAULT_STARTUP_DELAY_MS, 0, 600_000),
    latencyMs: num(env.FAULT_LATENCY_MS, 0, 600_000),
    errorRate: num(env.FAULT_ERROR_RATE, 0, 1),
    memoryGrowthMbPerS: num(env.FAULT_MEMORY_GROWTH_MB_PER_S, 0, 1024),
    memoryCapMb: num(env.FAULT_MEMORY_CAP_MB, 0, 2048),
    dbErrorsPerMin: num(env.FAULT_DB_ERRORS_PER_MIN, 0, 60_000),
    wrongVersion: wrong ? wrong : null,
    startAfterMs: num(env.FAULT_START_AFTER_MS, 0, 86_400_000),
    stopAfterMs: num(env.FAULT_STOP_AFTER_MS, 0, 86_400_000),
  };
}

/** Whether the request faults apply `uptimeMs` after the process started. */
export function requestFaultsOn(faults: Pick<Faults, "startAfterMs" | "stopAfterMs">, uptimeMs: number): boolean {
  return uptimeMs >= faults.startAfterMs && (faults.stopAfterMs === 0 || uptimeMs < faults.stopAfterMs);
}

export function activeFaults(faults: Faults): string[] {
  return Object.entries(faults)
    .filter(([, v]) => v !== false && v !== 0 && v !== null)
    .map(([k]) => k);
}
