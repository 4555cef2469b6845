import { apiError } from "@/lib/http/respond";
import { requireRoleForRequest } from "@/lib/auth/guard";
import { serviceOf } from "@/lib/deploy/context";
import { getEngineContext } from "@/lib/deploy/engine";
import { ValidationError } from "@/lib/errors";
import { dailyReportCsv, serviceDailyReport } from "@/lib/views/metrics-daily";

export const dynamic = "force-dynamic";

/** A service's daily report (UTC day): requests, success %, average, P95, uptime; JSON or CSV. */
export async function GET(req: Request, { params }: { params: Promise<{ service: string }> }): Promise<Response> {
  try {
    await requireRoleForRequest(req, "viewer");
    const { service } = await params;
    const ctx = getEngineContext();
    serviceOf(ctx, service);
    const q = new URL(req.url).searchParams;
    const format = q.get("format") ?? "json";
    if (format !== "json" && format !== "csv") throw new ValidationError("format must be json or csv.");
    const r = serviceDailyReport(ctx.db, service, q.get("date"));
    if (format === "json") return Response.json(r, { headers: { "cache-control": "no-store" } });
    return new Response(dailyReportCsv(r), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="greenlight-daily-${service.replace(/[^\w.-]/g, "_")}-${r.date}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return apiError(error);
  }
}
