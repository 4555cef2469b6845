import { resolveEnvValue } from "@/lib/config/secrets";
import { buildContainerOptions } from "@/lib/docker/container-options";
import { findContainers, removeContainer, runContainer, stopContainer } from "@/lib/docker/containers";
import { validateEnv } from "@/lib/docker/env";
import { trafficDriver } from "@/lib/traffic";
import { PhaseFailure, slotUrl, type PhaseResult, type PhaseRun } from "../context";
import { servingDeployment, updateDeployment } from "../store";

export function resolvedEnv(run: PhaseRun): Record<string, string> {
  const env = Object.fromEntries(Object.entries(run.service.container.env).map(([k, v]) => [k, resolveEnvValue(v)]));
  validateEnv(env);
  return env;
}

/** Is anything not ours answering on the port? Then the target could never take it. */
async function portAnswers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

export async function startTarget(run: PhaseRun): Promise<PhaseResult> {
  const { service, deployment } = run;
  const slot = deployment.toSlot;
  // Whatever still occupies the target slot (the previous release kept warm, or a leftover) is superseded now.
  const leftovers = await findContainers({ service: service.name, slot, all: true });
  // Say so in the record first: a kill between here and the container's end must not leave a rollback target that
  // the records call warm while the engine is still stopping it.
  const serving = servingDeployment(run.ctx.db, service.name);
  if (
    leftovers.length &&
    serving &&
    serving.id !== deployment.id &&
    serving.fromSlot === slot &&
    !serving.oldSlotRemovedAt
  )
    updateDeployment(run.ctx.db, serving.id, { oldSlotRemovedAt: Date.now() });
  // The load balancer may still be finishing requests to this slot from the last switch.
  if (leftovers.some((c) => c.running)) await trafficDriver(run.ctx.config, service).drain(slot, { timeoutMs: 30_000 });
  for (const c of leftovers) {
    await stopContainer(c.id, service.container.stopGraceSeconds);
    await removeContainer(c.id);
    run.log("info", `Removed ${c.name} (${c.image}) from the ${slot} slot`);
  }
  if (await portAnswers(slotUrl(service, slot)))
    throw new PhaseFailure(
      `Port ${service.slots[slot].port} (${slot}) is in use by a process Greenlight does not own.`,
    );
  const options = buildContainerOptions({
    service,
    slot,
    image: deployment.imageDigest ?? deployment.image,
    version: deployment.version,
    deploymentId: deployment.id,
    env: resolvedEnv(run),
  });
  const { id, name } = await runContainer(options);
  updateDeployment(run.ctx.db, deployment.id, { targetContainer: id });
  return {
    status: "passed",
    summary: `${name} started from ${deployment.image} (${deployment.imageDigest ?? "unpinned"}) on 127.0.0.1:${service.slots[slot].port}`,
    detail: { containerId: id, name, removed: leftovers.map((c) => c.name) },
  };
}
