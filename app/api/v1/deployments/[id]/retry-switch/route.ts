import { retrySwitchHandler } from "@/app/api/v1/_lib/deployments-write";
import { getEngineContext } from "@/lib/deploy/engine";

export const dynamic = "force-dynamic";

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return retrySwitchHandler(req, await params, getEngineContext());
}
