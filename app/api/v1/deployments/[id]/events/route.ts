import { deploymentEvents } from "@/app/api/v1/_lib/deployments-read";
import { getEngineContext } from "@/lib/deploy/engine";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return deploymentEvents(req, await params, getEngineContext());
}
