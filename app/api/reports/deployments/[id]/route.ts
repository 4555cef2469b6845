import { apiError } from "@/lib/http/respond";
import { requireRoleForRequest } from "@/lib/auth/guard";
import { getEngineContext } from "@/lib/deploy/engine";
import { ValidationError } from "@/lib/errors";
import { deploymentReport } from "@/lib/views/metrics-report";
import { reportRowsCsv, reportRowsMarkdown } from "@/lib/views/metrics-report-format";

export const dynamic = "force-dynamic";

const FORMATS = ["json", "csv", "md"] as const;

/** The success report of a deployment as JSON, CSV or Markdown (downloads get a file name). */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    await requireRoleForRequest(req, "viewer");
    const { id } = await params;
    const format = new URL(req.url).searchParams.get("format") ?? "json";
    if (!FORMATS.includes(format as (typeof FORMATS)[number]))
      throw new ValidationError(`format must be one of ${FORMATS.join(", ")}.`);
    const r = deploymentReport(getEngineContext().db, id);
    if (format === "json") return Response.json(r, { headers: { "cache-control": "no-store" } });
    const name = `greenlight-report-${r.deployment.service}-${r.deployment.version}-${r.deployment.id}`.replace(
      /[^\w.-]/g,
      "_",
    );
    const body =
      format === "csv"
        ? reportRowsCsv(r.rows)
        : reportRowsMarkdown(
            `Success report: ${r.deployment.service} ${r.deployment.version} (${r.deployment.id})`,
            r.rows,
            r.notes,
          );
    return new Response(body, {
      headers: {
        "content-type": format === "csv" ? "text/csv; charset=utf-8" : "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="${name}.${format}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return apiError(error);
  }
}
