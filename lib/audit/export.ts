import type { AuditRow } from "./types";

const COLUMNS = ["id", "at", "actor", "role", "action", "target", "source_ip", "user_agent", "outcome", "reason", "details", "prev_hash", "hash"] as const;

/** Spreadsheets run cells starting with these as formulas; a leading quote keeps them text. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null): string {
  let text = value == null ? "" : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

function cells(row: AuditRow): Array<string | number | null> {
  return [row.id, new Date(row.at).toISOString(), row.actor, row.role, row.action, row.target, row.sourceIp, row.userAgent, row.outcome, row.reason, row.details, row.prevHash, row.hash];
}

function parseDetails(details: string): unknown {
  try {
    return JSON.parse(details);
  } catch {
    return details;
  }
}

/** CSV (every cell quoted, formula-safe, CRLF rows) or JSON (details as objects, times as ISO text). */
export function exportAudit(rows: readonly AuditRow[], format: "csv" | "json"): string {
  if (format === "json") {
    return JSON.stringify(
      rows.map((r) => ({ ...r, at: new Date(r.at).toISOString(), details: parseDetails(r.details) })),
      null,
      2,
    );
  }
  const lines = [COLUMNS.map(csvCell).join(","), ...rows.map((r) => cells(r).map(csvCell).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
