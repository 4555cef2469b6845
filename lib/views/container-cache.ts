import { processWide } from "@/lib/process-wide";
import { deployBus } from "@/lib/deploy/bus";
import { findContainers, type ContainerSummary } from "@/lib/docker/containers";

const TTL_MS = 1_000;
type Entry = { at: number; result: Promise<ContainerSummary[]> };

function cache(): Map<string, Entry> {
  return processWide("container-cache", () => {
    const map = new Map<string, Entry>();
    // Any change to a deployment may have started or removed containers: the next reader looks again.
    deployBus().on("deployment", ({ service }: { service: string }) => map.delete(service));
    return map;
  });
}

/**
 * A service's containers for pages and streams: one Docker listing shared by every reader for a second, dropped as
 * soon as the engine changes a deployment of that service. Engine decisions never read through this cache.
 */
export function viewContainers(service: string, now = Date.now()): Promise<ContainerSummary[]> {
  const map = cache();
  const hit = map.get(service);
  if (hit && now - hit.at < TTL_MS) return hit.result;
  const result = findContainers({ service, all: true });
  map.set(service, { at: now, result });
  result.catch(() => map.get(service)?.result === result && map.delete(service));
  return result;
}
