import { apiError } from "@/lib/http/respond";
import { requireRoleForRequest } from "@/lib/auth/guard";
import { getEngineContext } from "@/lib/deploy/engine";
import { deploymentLogs } from "@/lib/views/deployment-logs";

export const dynamic = "force-dynamic";

/** The deployment target's log tail: live from its container, or as kept when it was removed. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    await requireRoleForRequest(req, "viewer");
    const { id } = await params;
    const tail = Math.min(1000, Math.max(10, Number(new URL(req.url).searchParams.get("tail")) || 200));
    return Response.json(await deploymentLogs(getEngineContext(), id, tail), {
      headers: { "cache-control": "no-store" },
    });
  } catch (error) {
    return apiError(error);
  }
}
