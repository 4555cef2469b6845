import { releaseDeployLock } from "@/app/api/v1/_lib/deploy-lock";
import { getEngineContext } from "@/lib/deploy/engine";

export const dynamic = "force-dynamic";

export async function POST(req: Request, { params }: { params: Promise<{ service: string }> }): Promise<Response> {
  return releaseDeployLock(req, await params, getEngineContext());
}
