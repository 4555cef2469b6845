import { createAlertSilence } from "@/app/api/v1/_lib/alert-silences";
import { getEngineContext } from "@/lib/deploy/engine";

export const dynamic = "force-dynamic";

export async function POST(req: Request, { params }: { params: Promise<{ service: string }> }): Promise<Response> {
  return createAlertSilence(req, await params, getEngineContext());
}
