import type { ExampleStackOptions } from "@/scripts/stack/example-stack";
import { openTempStack, type TempStack } from "@/scripts/stack/temp-stack";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { getDeployment } from "@/lib/deploy/store";
import type { Deployment } from "@/lib/db/schema";

export type Fixture = TempStack;

/** A stack in its own temp dir, ports from `basePort` (lb, blue, green), a unique service name. */
export function engineFixture(
  basePort: number,
  name: string,
  adjust?: ExampleStackOptions["adjust"],
): Promise<Fixture> {
  return openTempStack({ name, basePort, healthDeadlineSeconds: 15, adjust });
}

/** Deploys and waits for the pipeline to stop (gate, success or failure); returns the record. */
export async function deployAndWait(
  fx: Fixture,
  image: string,
  opts: { autoPromote?: boolean; version?: string; by?: string } = {},
): Promise<Deployment> {
  const result = await startDeployment(fx.ctx, { service: fx.service.name, image, ...opts }, opts.by ?? "test");
  if (result.noop) throw new Error(`unexpected no-op: ${result.message}`);
  await result.pipeline;
  return getDeployment(fx.ctx.db, result.deploymentId);
}

export async function lbHealth(fx: Fixture): Promise<{ status: number; version?: string; upstream: string | null }> {
  const res = await fetch(`${fx.lbUrl}/api/health`, { signal: AbortSignal.timeout(3000) });
  const body = (await res.json().catch(() => ({}))) as { version?: string };
  return { status: res.status, version: body.version, upstream: res.headers.get("x-greenlight-upstream") };
}
