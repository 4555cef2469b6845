import { containerLogs, findContainers, removeContainer, stopContainer } from "@/lib/docker/containers";
import type { ServiceConfig } from "@/lib/config/schema";

/** Stops and removes every container a deployment created; returns the tail of their logs, kept with the record. */
export async function cleanupTarget(
  service: ServiceConfig,
  deploymentId: string,
): Promise<{ removed: string[]; logs: string }> {
  const containers = await findContainers({ service: service.name, deployment: deploymentId, all: true });
  let logs = "";
  for (const c of containers) {
    try {
      logs += await containerLogs(c.id, { tail: 200 });
    } catch {
      logs += `(logs of ${c.name} unavailable)\n`;
    }
    await stopContainer(c.id, service.container.stopGraceSeconds);
    await removeContainer(c.id);
  }
  return { removed: containers.map((c) => c.name), logs };
}
