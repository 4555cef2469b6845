import type { ServiceConfig, Slot } from "@/lib/config/schema";
import { findContainers, type ContainerSummary } from "@/lib/docker/containers";
import { trafficDriver } from "@/lib/traffic";
import { LABELS } from "@/lib/docker/labels";
import type { EngineContext } from "./context";

export type LiveState = {
  slot: Slot;
  port: number;
  container: ContainerSummary | null;
  version: string | null;
  image: string | null;
};

/** Of a service's containers, the slot's: the running one if any, else the most recently started. */
export function pickSlotContainer(containers: ContainerSummary[], slot: Slot): ContainerSummary | null {
  const mine = containers.filter((c) => c.labels[LABELS.slot] === slot);
  const running = mine.filter((c) => c.running);
  return (
    (running.length > 0 ? running : mine).sort((a, b) => (b.startedAt ?? "").localeCompare(a.startedAt ?? ""))[0] ??
    null
  );
}

/**
 * Which colour the service's load balancer is set to send traffic to (nginx: the upstream file Greenlight owns;
 * HAProxy: its runtime state), and its container.
 * `containers` lets a caller that already listed the service's containers skip a second listing.
 */
export async function readLiveState(
  ctx: EngineContext,
  service: ServiceConfig,
  containers?: ContainerSummary[],
): Promise<LiveState | null> {
  const upstream = await trafficDriver(ctx.config, service).readLive();
  if (!upstream) return null;
  const container = pickSlotContainer(
    containers ?? (await findContainers({ service: service.name, slot: upstream.slot, all: true })),
    upstream.slot,
  );
  return {
    slot: upstream.slot,
    port: upstream.port,
    container,
    version: container?.labels[LABELS.version] ?? null,
    image: container?.image ?? null,
  };
}

/** The slot's container: the running one if any, else the most recently started. */
export async function slotContainer(service: string, slot: Slot): Promise<ContainerSummary | null> {
  return pickSlotContainer(await findContainers({ service, slot, all: true }), slot);
}
