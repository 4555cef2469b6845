import { getDeploymentHandler } from "@/app/api/v1/_lib/deployments-read";
import { getEngineContext } from "@/lib/deploy/engine";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return getDeploymentHandler(req, await params, getEngineContext());
}
