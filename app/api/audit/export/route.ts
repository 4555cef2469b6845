import { parseAuditFilters, toAuditQuery } from "@/components/audit/filters";
import { auditFromRequest } from "@/lib/audit/from-request";
import { auditExportStream, countAudit, lastAuditId } from "@/lib/audit/export-stream";
import { recordAudit } from "@/lib/audit/record";
import { recordThrottledRefusal } from "@/lib/audit/throttle";
import { apiError } from "@/lib/http/respond";
import { checkRoleForRequest, userFromRequest } from "@/lib/auth/request-user";
import type { SessionUser } from "@/lib/auth/types";
import { getDb } from "@/lib/db/client";
import { ForbiddenError, UnauthorizedError, ValidationError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** `GET /api/audit/export?format=csv|json&actor=…&action=…&target=…&outcome=…&from=YYYY-MM-DD&to=YYYY-MM-DD` (on-call and above), streamed. */
export async function GET(req: Request): Promise<Response> {
  const db = getDb();
  const url = new URL(req.url);
  const filters = parseAuditFilters(url.searchParams);
  const caller = userFromRequest(req, db);
  try {
    let user: SessionUser;
    try {
      user = checkRoleForRequest(req, "oncall", db);
    } catch (error) {
      if (error instanceof UnauthorizedError || error instanceof ForbiddenError) {
        (caller ? recordAudit : recordThrottledRefusal)(db, {
          actor: caller?.username ?? "anonymous",
          role: caller?.role ?? null,
          action: "audit.export",
          outcome: "denied",
          reason: error.message,
          ...auditFromRequest(req.headers),
        });
      }
      throw error;
    }
    const format = url.searchParams.get("format") ?? "csv";
    if (format !== "csv" && format !== "json") throw new ValidationError("format must be csv or json");
    const query = toAuditQuery(filters);
    const upToId = lastAuditId(db);
    const rows = countAudit(db, query);
    recordAudit(db, {
      actor: user.username,
      role: user.role,
      action: "audit.export",
      outcome: "ok",
      details: { format, rows, filters },
      ...auditFromRequest(req.headers),
    });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
    // Streamed in batches: the whole trail never sits in the console's small heap.
    return new Response(auditExportStream(db, query, format, 1_000, upToId), {
      headers: {
        "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="greenlight-audit-${stamp}.${format}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return apiError(error);
  }
}
