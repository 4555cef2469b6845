import { approve } from "@/app/api/v1/_lib/rollback";
import { getEngineContext } from "@/lib/deploy/engine";

export const dynamic = "force-dynamic";

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return approve(req, await params, getEngineContext());
}
