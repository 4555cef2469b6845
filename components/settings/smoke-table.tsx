import type { SmokeTest } from "@/lib/config/schema";
import { DataTable, type Column } from "@/components/ui/data-table";

const COLUMNS: Column<SmokeTest>[] = [
  { header: "Name", className: "text-zinc-100", cell: (t) => t.name },
  {
    header: "Request",
    className: "font-mono text-xs whitespace-nowrap text-zinc-200",
    cell: (t) => (
      <>
        {t.method} {t.path}
        {t.body !== undefined ? <span className="ml-1 text-zinc-400">(with body)</span> : null}
      </>
    ),
  },
  { header: "Expect", className: "font-mono text-xs text-zinc-300", cell: (t) => t.expect.join(", ") },
  { header: "Budget", className: "whitespace-nowrap text-zinc-300", cell: (t) => `${t.budgetMs} ms` },
  { header: "Read-only", className: "text-zinc-300", cell: (t) => (t.readOnly ? "yes" : "no") },
  { header: "From version", className: "text-zinc-300", cell: (t) => t.minVersion ?? "any" },
];

/** Smoke tests as declared; request bodies are not shown (they may carry data meant for the service only). */
export function SmokeTable({ tests }: { tests: SmokeTest[] }) {
  return (
    <DataTable
      columns={COLUMNS}
      rows={tests}
      rowKey={(t) => t.name}
      empty="No smoke tests declared."
      label="Smoke tests"
      rounded="md"
    />
  );
}
