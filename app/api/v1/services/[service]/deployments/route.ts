import { createDeployment } from "@/app/api/v1/_lib/deployments-write";
import { getEngineContext } from "@/lib/deploy/engine";

export const dynamic = "force-dynamic";

export async function POST(req: Request, { params }: { params: Promise<{ service: string }> }): Promise<Response> {
  return createDeployment(req, await params, getEngineContext());
}
