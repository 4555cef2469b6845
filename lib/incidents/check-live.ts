import type { ServiceConfig } from "@/lib/config/schema";
import { checkHealthOnce } from "@/lib/checks/health";
import type { EngineContext } from "@/lib/deploy/context";
import { pickSlotContainer } from "@/lib/deploy/live-slot";
import { findContainers } from "@/lib/docker/containers";
import { logger } from "@/lib/log";
import { masterPid } from "@/lib/nginx/nginx-processes";
import { trafficDriver } from "@/lib/traffic";

export type LiveCheck = { ok: true } | { ok: false; problem: string; docker: boolean; nginx: boolean };

/**
 * Does the live colour serve? The load balancer (the upstream file for nginx, the runtime state for HAProxy, which
 * gets the durable colour back first if it lost it) must name a colour, its container (found by label) must run, nginx
 * must be running and answer the service's health path with 200. `docker` / `nginx` say whether each could be
 * reached at all (`nginx`: the service's load balancer), which decides if a rollback can run.
 */
export async function checkLiveColour(ctx: EngineContext, service: ServiceConfig): Promise<LiveCheck> {
  const problems: string[] = [];
  let docker = true;
  let nginx = true;
  const driver = trafficDriver(ctx.config, service);
  let upstream: { slot: "blue" | "green" } | null = null;
  try {
    // A load balancer that lost the live colour (HAProxy restarted without its state file) gets it back first.
    const reconciled = await driver.reconcile();
    if (reconciled.state === "reapplied")
      logger("traffic").warn(
        { service: service.name, found: reconciled.live, applied: reconciled.expected },
        `${driver.label} had lost ${service.name}'s live colour; sent it to ${reconciled.expected} again`,
      );
    upstream = await driver.readLive();
  } catch (error) {
    if (driver.kind !== "nginx") {
      nginx = false;
      problems.push(`${driver.label} could not be read: ${(error as Error).message}`);
    }
  }
  if (!upstream) {
    if (nginx) problems.push(`${driver.label}'s upstream for ${service.name} points at no colour`);
  } else {
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
  if (driver.kind === "nginx" && masterPid(ctx.config.nginx) === null) {
    nginx = false;
    problems.push("nginx is not running");
  } else if (nginx) {
    const health = await checkHealthOnce({
      url: `${driver.lbUrl}${service.health.path}`,
      versionField: service.health.versionField,
      requestTimeoutMs: 2000,
    });
    if (!health.ok) {
      if (health.status === undefined) nginx = false;
      problems.push(`health through ${driver.label} failed: ${health.reason ?? `HTTP ${health.status}`}`);
    }
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problem: problems.join("; "), docker, nginx };
}
