import type { AuditRow } from "./types";

const COLUMNS = [
  "id",
  "at",
  "actor",
  "role",
  "action",
  "target",
  "source_ip",
  "user_agent",
  "outcome",
  "reason",
  "details",
  "prev_hash",
  "hash",
] as const;

/** Spreadsheets run cells starting with these as formulas; a leading quote keeps them text. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: string | number | null): string {
  let text = value == null ? "" : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

function cells(row: AuditRow): Array<string | number | null> {
  return [
    row.id,
    new Date(row.at).toISOString(),
    row.actor,
    row.role,
    row.action,
    row.target,
    row.sourceIp,
    row.userAgent,
    row.outcome,
    row.reason,
    row.details,
    row.prevHash,
    row.hash,
  ];
}

function parseDetails(details: string): unknown {
  try {
    return JSON.parse(details);
  } catch {
    return details;
  }
}

export const csvHeader = () => `${COLUMNS.map(csvCell).join(",")}\r\n`;
export const csvLine = (row: AuditRow) => `${cells(row).map(csvCell).join(",")}\r\n`;
/** One row as exported JSON (two-space indented inside the array), details parsed and the time as ISO text. */
export const jsonRow = (row: AuditRow) =>
  JSON.stringify({ ...row, at: new Date(row.at).toISOString(), details: parseDetails(row.details) }, null, 2).replace(
    /^/gm,
    "  ",
  );

/** CSV (every cell quoted, formula-safe, CRLF rows) or JSON (details as objects, times as ISO text). */
export function exportAudit(rows: readonly AuditRow[], format: "csv" | "json"): string {
  if (format === "json") return rows.length === 0 ? "[]" : `[\n${rows.map(jsonRow).join(",\n")}\n]`;
  return csvHeader() + rows.map(csvLine).join("");
}
