import { STATUS_LABEL, type ReportRow } from "./metrics-report-rows";

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading = + - @ is defused for spreadsheets. */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

export function reportRowsCsv(rows: readonly ReportRow[]): string {
  return toCsv(
    ["item", "criterion", "measured", "value", "status"],
    rows.map((r) => [r.item, r.criterion, r.measured, r.value, STATUS_LABEL[r.status]]),
  );
}

const mdCell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** The report as a Markdown table, ready for a release ticket. */
export function reportRowsMarkdown(title: string, rows: readonly ReportRow[], notes: readonly string[] = []): string {
  const lines = [
    `# ${mdCell(title)}`,
    "",
    "| item | criterion | measured | status |",
    "|---|---|---|---|",
    ...rows.map(
      (r) => `| ${mdCell(r.item)} | ${mdCell(r.criterion)} | ${mdCell(r.measured)} | ${STATUS_LABEL[r.status]} |`,
    ),
  ];
  if (notes.length > 0) lines.push("", ...notes.map((n) => `- ${mdCell(n)}`));
  return lines.join("\n") + "\n";
}
