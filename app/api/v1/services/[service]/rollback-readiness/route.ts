import { readinessHandler } from "@/app/api/v1/_lib/rollback";
import { getEngineContext } from "@/lib/deploy/engine";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ service: string }> }): Promise<Response> {
  return readinessHandler(req, await params, getEngineContext());
}
