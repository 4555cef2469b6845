import type Dockerode from "dockerode";
import { cpuPercent, memoryUsageBytes, type DockerStats } from "@/lib/docker/stats-math";
import { dockerStatusCode } from "@/lib/docker/client";
import { LABELS } from "@/lib/docker/labels";
import type { MetricsRecorder } from "./recorder";
import type { SlotOrUnknown } from "./attribute-upstream";

export type ManagedContainer = { id: string; service: string; slot: SlotOrUnknown };

/** Running containers that carry Greenlight's service label. */
export async function listManagedContainers(docker: Dockerode): Promise<ManagedContainer[]> {
  const list = await docker.listContainers({ filters: { label: [LABELS.service], status: ["running"] } });
  return list.map((c) => {
    const slot = c.Labels[LABELS.slot];
    return {
      id: c.Id,
      service: c.Labels[LABELS.service] ?? "unknown",
      slot: slot === "blue" || slot === "green" ? slot : "unknown",
    };
  });
}

/**
 * One Docker stats sample (CPU % and memory without page cache, as the Docker CLI shows them) per
 * container into the recorder. A container that vanished between list and stats is skipped.
 */
export async function sampleDockerStats(
  docker: Dockerode,
  containers: ManagedContainer[],
  recorder: MetricsRecorder,
): Promise<number> {
  const results = await Promise.all(
    containers.map(async (c): Promise<number> => {
      try {
        const stats = (await docker.getContainer(c.id).stats({ stream: false })) as unknown as DockerStats;
        recorder.resources(c.service, c.slot, Date.now() / 1000, cpuPercent(stats), memoryUsageBytes(stats));
        return 1;
      } catch (error) {
        if (dockerStatusCode(error) === 404 || dockerStatusCode(error) === 409) return 0;
        throw error;
      }
    }),
  );
  return results.reduce((a, b) => a + b, 0);
}
