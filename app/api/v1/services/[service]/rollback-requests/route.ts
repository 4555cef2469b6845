import { createRollbackRequest, listRollbackRequestsHandler } from "@/app/api/v1/_lib/rollback";
import { getEngineContext } from "@/lib/deploy/engine";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ service: string }> }): Promise<Response> {
  return listRollbackRequestsHandler(req, await params, getEngineContext());
}

export async function POST(req: Request, { params }: { params: Promise<{ service: string }> }): Promise<Response> {
  return createRollbackRequest(req, await params, getEngineContext());
}
