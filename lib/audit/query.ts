import { z } from "zod";
import { ValidationError } from "@/lib/errors";
import { AUDIT_COLUMNS, fromRaw, type AuditDb, type RawAuditRow } from "./rows";
import type { AuditRow } from "./types";

export const auditQuerySchema = z.strictObject({
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  target: z.string().min(1).optional(),
  outcome: z.enum(["ok", "denied", "failed"]).optional(),
  /** Inclusive, epoch milliseconds. */
  from: z.number().int().nonnegative().optional(),
  /** Exclusive, epoch milliseconds. */
  to: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(10_000).default(100),
  offset: z.number().int().min(0).default(0),
});

export type AuditQuery = z.input<typeof auditQuerySchema>;

/** Newest first; `total` counts every matching row regardless of limit and offset. */
export function queryAudit(db: AuditDb, query: AuditQuery): { rows: AuditRow[]; total: number } {
  const parsed = auditQuerySchema.safeParse(query);
  if (!parsed.success)
    throw new ValidationError(
      `Invalid audit query: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
    );
  const q = parsed.data;
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  for (const key of ["actor", "action", "target", "outcome"] as const) {
    if (q[key] !== undefined) {
      where.push(`${key} = @${key}`);
      params[key] = q[key];
    }
  }
  if (q.from !== undefined) (where.push("at >= @from"), (params.from = q.from));
  if (q.to !== undefined) (where.push("at < @to"), (params.to = q.to));
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const sqlite = db.$client;
  const total = (sqlite.prepare(`SELECT count(*) AS n FROM audit_log ${clause}`).get(params) as { n: number }).n;
  const raw = sqlite
    .prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log ${clause} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: q.limit, offset: q.offset }) as RawAuditRow[];
  return { rows: raw.map(fromRaw), total };
}
