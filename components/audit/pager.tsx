import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { filterSearch, type AuditFilters } from "./filters";

const LINK =
  "rounded-md border border-zinc-700 px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-400";

export function Pager({
  filters,
  page,
  pageSize,
  total,
}: {
  filters: AuditFilters;
  page: number;
  pageSize: number;
  total: number;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const link = (to: number, label: string, enabled: boolean) =>
    enabled ? (
      <Link
        href={`/audit${filterSearch(filters, { page: to })}`}
        className={cn(LINK, "text-zinc-100 hover:bg-zinc-800")}
        rel={label === "Newer" ? "prev" : "next"}
      >
        {label}
      </Link>
    ) : (
      <span className={cn(LINK, "text-zinc-500")} aria-disabled="true">
        {label}
      </span>
    );
  return (
    <nav aria-label="Audit pages" className="flex flex-wrap items-center justify-between gap-3 text-sm text-zinc-400">
      <p data-testid="audit-range">
        {first}–{last} of {total.toLocaleString("en-GB")} · page {page} of {pages}
      </p>
      <div className="flex gap-2">
        {link(page - 1, "Newer", page > 1)}
        {link(page + 1, "Older", page < pages)}
      </div>
    </nav>
  );
}
