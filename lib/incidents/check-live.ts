import type { ServiceConfig } from "@/lib/config/schema";
import { checkHealthOnce } from "@/lib/checks/health";
import type { EngineContext } from "@/lib/deploy/context";
import { pickSlotContainer } from "@/lib/deploy/live-slot";
import { findContainers } from "@/lib/docker/containers";
import { masterPid } from "@/lib/nginx/nginx-processes";
import { readLiveUpstream } from "@/lib/nginx/switch-upstream";

export type LiveCheck = { ok: true } | { ok: false; problem: string; docker: boolean; nginx: boolean };

/**
 * Does the live colour serve? The upstream file must name a colour, its container (found by label) must run, nginx
 * must be running and answer the service's health path with 200. `docker` / `nginx` say whether each could be
 * reached at all, which decides if a rollback can run.
 */
export async function checkLiveColour(ctx: EngineContext, service: ServiceConfig): Promise<LiveCheck> {
  const problems: string[] = [];
  let docker = true;
  let nginx = true;
  const upstream = await readLiveUpstream(ctx.config.nginx, service.name).catch(() => null);
  if (!upstream) problems.push(`nginx's upstream for ${service.name} points at no colour`);
  else {
    try {
      const container = pickSlotContainer(
        await findContainers({ service: service.name, slot: upstream.slot, all: true }),
        upstream.slot,
      );
      if (!container) problems.push(`the live colour ${upstream.slot} has no container`);
      else if (!container.running)
        problems.push(`the live container ${container.name} (${upstream.slot}) is ${container.state}`);
    } catch (error) {
      docker = false;
      problems.push(`Docker cannot be reached: ${(error as Error).message}`);
    }
  }
  if (masterPid(ctx.config.nginx) === null) {
    nginx = false;
    problems.push("nginx is not running");
  } else {
    const health = await checkHealthOnce({
      url: `${ctx.config.nginx.lbUrl}${service.health.path}`,
      versionField: service.health.versionField,
      requestTimeoutMs: 2000,
    });
    if (!health.ok) {
      if (health.status === undefined) nginx = false;
      problems.push(`health through nginx failed: ${health.reason ?? `HTTP ${health.status}`}`);
    }
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problem: problems.join("; "), docker, nginx };
}
