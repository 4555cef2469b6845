import { apiError } from "@/lib/http/respond";
import { requireRoleForRequest } from "@/lib/auth/guard";
import { checkRoleForRequest } from "@/lib/auth/request-user";
import { deployBus, type DeploymentSignal } from "@/lib/deploy/bus";
import { serviceOf } from "@/lib/deploy/context";
import { getEngineContext } from "@/lib/deploy/engine";
import { SERVICE_HISTORY } from "@/lib/views/limits";
import { serviceOverview } from "@/lib/views/service-overview";
import { sseResponse } from "@/lib/views/sse";

export const dynamic = "force-dynamic";

/** The service overview now and whenever any of its deployments changes, as Server-Sent Events. */
export async function GET(req: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  try {
    await requireRoleForRequest(req, "viewer");
    const { name } = await params;
    const ctx = getEngineContext();
    serviceOf(ctx, name);
    return sseResponse({
      signal: req.signal,
      authorize: () => checkRoleForRequest(req, "viewer"),
      debounceMs: 150,
      snapshot: () => serviceOverview(ctx, name, { historyLimit: SERVICE_HISTORY }),
      subscribe: (onChange) => {
        const listener = (s: DeploymentSignal) => s.service === name && onChange();
        deployBus().on("deployment", listener);
        return () => deployBus().off("deployment", listener);
      },
    });
  } catch (error) {
    return apiError(error);
  }
}
