import { serviceRoute } from "@/lib/http/console-route";
import { json } from "@/lib/http/respond";
import { ValidationError } from "@/lib/errors";
import { dailyReportCsv, serviceDailyReport } from "@/lib/views/metrics-daily";

export const dynamic = "force-dynamic";

/** A service's daily report (UTC day): requests, success %, average, P95, uptime; JSON or CSV. */
export const GET = serviceRoute((req, service, ctx) => {
  const q = new URL(req.url).searchParams;
  const format = q.get("format") ?? "json";
  if (format !== "json" && format !== "csv") throw new ValidationError("format must be json or csv.");
  const r = serviceDailyReport(ctx.db, service, q.get("date"));
  if (format === "json") return json(r);
  return new Response(dailyReportCsv(r), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="greenlight-daily-${service.replace(/[^\w.-]/g, "_")}-${r.date}.csv"`,
      "cache-control": "no-store",
    },
  });
});
