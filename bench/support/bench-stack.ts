import fs from "node:fs";
import { initDb } from "@/examples/privatetrade/src/init-db";
import type { ExampleStack, ExampleStackOptions } from "@/scripts/stack/example-stack";
import { openTempStack, type TempStack } from "@/scripts/stack/temp-stack";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { getDeployment } from "@/lib/deploy/store";
import { findContainers, removeContainer } from "@/lib/docker/containers";
import { getDocker, dockerStatusCode } from "@/lib/docker/client";
import { switchUpstream } from "@/lib/nginx/switch-upstream";
import type { Deployment } from "@/lib/db/schema";

export type BenchStack = TempStack;

/** A stack of its own in a temp dir (ports basePort, +1 blue, +2 green), bake 0, images built. */
export function openBenchStack(
  name: string,
  basePort: number,
  adjust?: ExampleStackOptions["adjust"],
  versions: string[] = [],
): Promise<BenchStack> {
  return openTempStack({ name, basePort, healthDeadlineSeconds: 30, adjust, versions });
}

/** Removes a container by name if it exists (containers the runbook started carry no Greenlight labels). */
export async function removeNamedContainer(name: string): Promise<void> {
  try {
    await getDocker().getContainer(name).remove({ force: true });
  } catch (error) {
    if (dockerStatusCode(error) !== 404) throw error;
  }
}

/** Deploys (the stack's first service unless named) and waits for the pipeline to stop; returns the record. */
export async function deploy(
  stack: ExampleStack,
  image: string,
  autoPromote = true,
  service = stack.service.name,
): Promise<Deployment> {
  const result = await startDeployment(stack.ctx, { service, image, autoPromote }, "bench");
  if (result.noop) throw new Error(`unexpected no-op: ${result.message}`);
  await result.pipeline;
  return getDeployment(stack.ctx.db, result.deploymentId);
}

/**
 * The equal starting point of every timed run: nothing of the service running, a fresh app database without
 * 2.0.0's migration, nginx pointing at blue, then 1.9.0 (`blueImage`) installed on blue through Greenlight (not timed).
 */
export async function resetToBlue(
  stack: ExampleStack,
  extraContainers: string[] = [],
  blueImage = "privatetrade:1.9.0",
): Promise<void> {
  for (const name of extraContainers) await removeNamedContainer(name);
  for (const c of await findContainers({ service: stack.service.name, all: true })) await removeContainer(c.id);
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(stack.appDbPath + suffix, { force: true });
  initDb(stack.appDbPath);
  await switchUpstream({
    nginx: stack.config.nginx,
    service: stack.service.name,
    slot: "blue",
    port: stack.service.slots.blue.port,
  });
  const blue = await deploy(stack, blueImage);
  if (blue.status !== "succeeded" || blue.toSlot !== "blue")
    throw new Error(`bootstrapping blue 1.9.0 ended ${blue.status}: ${blue.error ?? ""}`);
}

export async function lbVersion(lbUrl: string): Promise<{ status: number; version?: string; upstream: string | null }> {
  const res = await fetch(`${lbUrl}/api/health`, { signal: AbortSignal.timeout(3000) });
  const body = (await res.json().catch(() => ({}))) as { version?: string };
  return { status: res.status, version: body.version, upstream: res.headers.get("x-greenlight-upstream") };
}
