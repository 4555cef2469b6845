import { apiError } from "@/lib/http/respond";
import { requireRoleForRequest } from "@/lib/auth/guard";
import { checkRoleForRequest } from "@/lib/auth/request-user";
import { deployBus, type DeploymentSignal } from "@/lib/deploy/bus";
import { getEngineContext } from "@/lib/deploy/engine";
import { deploymentSnapshot } from "@/lib/views/deployment-snapshot";
import { sseResponse } from "@/lib/views/sse";

export const dynamic = "force-dynamic";

/** The deployment's snapshot now and after every change, as Server-Sent Events. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    await requireRoleForRequest(req, "viewer");
    const { id } = await params;
    const ctx = getEngineContext();
    deploymentSnapshot(ctx, id);
    return sseResponse({
      signal: req.signal,
      authorize: () => checkRoleForRequest(req, "viewer"),
      snapshot: () => deploymentSnapshot(ctx, id),
      subscribe: (onChange) => {
        const listener = (s: DeploymentSignal) => s.deploymentId === id && onChange();
        deployBus().on("deployment", listener);
        return () => deployBus().off("deployment", listener);
      },
    });
  } catch (error) {
    return apiError(error);
  }
}
