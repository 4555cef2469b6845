import { apiError } from "@/lib/http/respond";
import { requireRoleForRequest } from "@/lib/auth/guard";
import { getEngineContext } from "@/lib/deploy/engine";
import { incidentBanner } from "@/lib/incidents/banner";

export const dynamic = "force-dynamic";

/** The open incidents every console page shows as a banner. */
export async function GET(req: Request): Promise<Response> {
  try {
    await requireRoleForRequest(req, "viewer");
    return Response.json(
      { incidents: incidentBanner(getEngineContext().db) },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return apiError(error);
  }
}
