import { apiError } from "@/lib/http/respond";
import { requireRoleForRequest } from "@/lib/auth/guard";
import { getEngineContext } from "@/lib/deploy/engine";
import { deploymentSnapshot } from "@/lib/views/deployment-snapshot";

export const dynamic = "force-dynamic";

/** The deployment with its steps and events. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    await requireRoleForRequest(req, "viewer");
    const { id } = await params;
    return Response.json(deploymentSnapshot(getEngineContext(), id), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return apiError(error);
  }
}
