import { apiError } from "@/lib/http/respond";
import { requireRoleForRequest } from "@/lib/auth/guard";
import { getEngineContext } from "@/lib/deploy/engine";
import { SERVICE_HISTORY } from "@/lib/views/limits";
import { serviceOverview } from "@/lib/views/service-overview";

export const dynamic = "force-dynamic";

/** One service: both slots, health, the deployment in progress, the lock and recent history. */
export async function GET(req: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  try {
    await requireRoleForRequest(req, "viewer");
    const { name } = await params;
    return Response.json(await serviceOverview(getEngineContext(), name, { historyLimit: SERVICE_HISTORY }), {
      headers: { "cache-control": "no-store" },
    });
  } catch (error) {
    return apiError(error);
  }
}
