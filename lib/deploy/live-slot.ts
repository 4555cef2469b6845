import type { ServiceConfig, Slot } from "@/lib/config/schema";
import { findContainers, type ContainerSummary } from "@/lib/docker/containers";
import { readLiveUpstream } from "@/lib/nginx/switch-upstream";
import { LABELS } from "@/lib/docker/labels";
import type { EngineContext } from "./context";

export type LiveState = {
  slot: Slot;
  port: number;
  container: ContainerSummary | null;
  version: string | null;
  image: string | null;
};

/** Which colour nginx is configured to send traffic to (from the upstream file Greenlight owns), and its container. */
export async function readLiveState(ctx: EngineContext, service: ServiceConfig): Promise<LiveState | null> {
  const upstream = await readLiveUpstream(ctx.config.nginx, service.name);
  if (!upstream) return null;
  const container = await slotContainer(service.name, upstream.slot);
  return {
    slot: upstream.slot,
    port: upstream.port,
    container,
    version: container?.labels[LABELS.version] ?? null,
    image: container?.image ?? null,
  };
}

/** The slot's container: the running one if any, else the most recently created. */
export async function slotContainer(service: string, slot: Slot): Promise<ContainerSummary | null> {
  const all = await findContainers({ service, slot, all: true });
  const running = all.filter((c) => c.running);
  const pick = (running.length > 0 ? running : all).sort((a, b) => (b.startedAt ?? "").localeCompare(a.startedAt ?? ""));
  return pick[0] ?? null;
}
