import { apiError } from "@/lib/http/respond";
import { requireRoleForRequest } from "@/lib/auth/guard";
import { checkRoleForRequest } from "@/lib/auth/request-user";
import { serviceOf } from "@/lib/deploy/context";
import { getEngineContext } from "@/lib/deploy/engine";
import { metricsStreamResponse } from "@/lib/views/metrics-stream";
import { parseWindow } from "@/lib/views/metrics-window";

export const dynamic = "force-dynamic";

/** Live metrics of one service: the window now, then each flushed point, as Server-Sent Events. */
export async function GET(req: Request, { params }: { params: Promise<{ service: string }> }): Promise<Response> {
  try {
    await requireRoleForRequest(req, "viewer");
    const { service } = await params;
    const ctx = getEngineContext();
    serviceOf(ctx, service);
    const window = parseWindow(new URL(req.url).searchParams.get("window"));
    return metricsStreamResponse({
      db: ctx.db,
      service,
      window,
      signal: req.signal,
      authorize: () => checkRoleForRequest(req, "viewer"),
    });
  } catch (error) {
    return apiError(error);
  }
}
