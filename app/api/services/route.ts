import { apiError } from "@/lib/http/respond";
import { requireRoleForRequest } from "@/lib/auth/guard";
import { getEngineContext } from "@/lib/deploy/engine";
import { servicesOverview } from "@/lib/views/service-overview";

export const dynamic = "force-dynamic";

/** Every declared service with its live colour, health, deployment in progress and lock. */
export async function GET(req: Request): Promise<Response> {
  try {
    await requireRoleForRequest(req, "viewer");
    return Response.json(
      { services: await servicesOverview(getEngineContext()) },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return apiError(error);
  }
}
