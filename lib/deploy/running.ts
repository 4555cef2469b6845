const g = globalThis as unknown as { __greenlightRunning?: Map<string, AbortController> };

/** Pipelines this process is driving right now, by deployment id, so abort can reach them. */
export function runningPipelines(): Map<string, AbortController> {
  g.__greenlightRunning ??= new Map();
  return g.__greenlightRunning;
}
