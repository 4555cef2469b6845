import { processWide } from "@/lib/process-wide";
/** Pipelines this process is driving right now, by deployment id, so abort can reach them. */
export function runningPipelines(): Map<string, AbortController> {
  return processWide("running-pipelines", () => new Map<string, AbortController>());
}
