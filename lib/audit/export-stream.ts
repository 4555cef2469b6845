import { auditQuerySchema, type AuditQuery } from "./query";
import { csvHeader, csvLine, jsonRow } from "./export";
import { AUDIT_COLUMNS, fromRaw, type AuditDb, type RawAuditRow } from "./rows";

const encoder = new TextEncoder();

type Filters = Omit<AuditQuery, "limit" | "offset">;

function whereOf(q: Filters): { clause: string; params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  for (const key of ["actor", "action", "target", "outcome"] as const) {
    if (q[key] !== undefined) (where.push(`${key} = @${key}`), (params[key] = q[key]));
  }
  if (q.from !== undefined) (where.push("at >= @from"), (params.from = q.from));
  if (q.to !== undefined) (where.push("at < @to"), (params.to = q.to));
  return { clause: where.join(" AND "), params };
}

export function lastAuditId(db: AuditDb): number {
  return (db.$client.prepare("SELECT coalesce(max(id), 0) AS id FROM audit_log").get() as { id: number }).id;
}

export function countAudit(db: AuditDb, query: Filters): number {
  const { clause, params } = whereOf(auditQuerySchema.parse(query));
  return (
    db.$client.prepare(`SELECT count(*) AS n FROM audit_log ${clause ? `WHERE ${clause}` : ""}`).get(params) as {
      n: number;
    }
  ).n;
}

/**
 * The export as a stream, newest first, read `batch` rows at a time by id (never by offset), so memory holds one
 * batch however long the trail is, and only rows up to `upToId` (those that existed when the export was asked
 * for). The text is exactly what exportAudit() builds from the same rows.
 */
export function auditExportStream(
  db: AuditDb,
  query: Filters,
  format: "csv" | "json",
  batch = 1_000,
  upToId = Number.MAX_SAFE_INTEGER,
): ReadableStream<Uint8Array> {
  const { clause, params } = whereOf(auditQuerySchema.parse(query));
  const next = db.$client.prepare(
    `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE ${clause ? `${clause} AND ` : ""}id < @before ORDER BY id DESC LIMIT @batch`,
  );
  let before = upToId + 1;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(format === "csv" ? csvHeader() : "["));
    },
    pull(controller) {
      if (done) return;
      const rows = (next.all({ ...params, before, batch }) as RawAuditRow[]).map(fromRaw);
      let text = "";
      for (const row of rows) {
        text += format === "csv" ? csvLine(row) : `${first ? "\n" : ",\n"}${jsonRow(row)}`;
        first = false;
      }
      if (rows.length > 0) before = rows[rows.length - 1]!.id;
      if (rows.length < batch) {
        done = true;
        if (format === "json") text += first ? "]" : "\n]";
      }
      if (text) controller.enqueue(encoder.encode(text));
      if (done) controller.close();
    },
  });
}
