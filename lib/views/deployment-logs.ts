import type { EngineContext } from "@/lib/deploy/context";
import { serviceFor } from "@/lib/deploy/context";
import { scrub } from "@/lib/deploy/secrets-of";
import { getDeployment, listSteps } from "@/lib/deploy/store";
import { containerLogs, findContainers } from "@/lib/docker/containers";

export type LogTail = {
  source: "container" | "record" | "none";
  container: string | null;
  text: string;
  readAt: number;
};

/** The target's recent output: live from its container while it exists, else what cleanup or rollback kept. */
export async function deploymentLogs(ctx: EngineContext, id: string, tail = 200): Promise<LogTail> {
  const dep = getDeployment(ctx.db, id);
  const service = serviceFor(ctx, dep);
  const [container] = await findContainers({ service: service.name, deployment: id, all: true });
  if (container) {
    const text = await containerLogs(container.id, { tail });
    return { source: "container", container: container.name, text: scrub(service, text), readAt: Date.now() };
  }
  const kept = listSteps(ctx.db, id)
    .filter((s) => s.phase === "cleanup" || s.phase === "rollback")
    .map((s) => (s.detail as { logs?: unknown } | null)?.logs)
    .filter((l): l is string => typeof l === "string" && l.length > 0)
    .at(-1);
  if (kept)
    return { source: "record", container: null, text: kept.split("\n").slice(-tail).join("\n"), readAt: Date.now() };
  return { source: "none", container: null, text: "", readAt: Date.now() };
}
