import type { Metadata } from "next";
import { AuditFilterForm } from "@/components/audit/audit-filter-form";
import { AuditTable } from "@/components/audit/audit-table";
import { ChainIndicator } from "@/components/audit/chain-indicator";
import { AUDIT_PAGE_SIZE, filterSearch, parseAuditFilters, parsePage, toAuditQuery } from "@/components/audit/filters";
import { Pager } from "@/components/audit/pager";
import { Forbidden } from "@/components/ui/forbidden";
import { queryAudit } from "@/lib/audit/query";
import { verifyAuditChainSinceCheckpoint } from "@/lib/audit/verify-incremental";
import { requirePageUser, roleAtLeast } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit · Greenlight" };

const EXPORT_LINK =
  "rounded-md border border-zinc-700 bg-zinc-900 px-3 py-2 text-sm font-medium text-zinc-100 hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-400";

function distinct(db: ReturnType<typeof getDb>, column: "action" | "actor"): string[] {
  const rows = db.$client.prepare(`SELECT DISTINCT ${column} AS v FROM audit_log ORDER BY v LIMIT 200`).all() as Array<{
    v: string;
  }>;
  return rows.map((r) => r.v);
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser();
  if (!roleAtLeast(user.role, "oncall"))
    return <Forbidden what="The audit trail" needs="on-call or higher" role={user.role} />;
  const params = await searchParams;
  const filters = parseAuditFilters(params);
  const page = parsePage(params);
  const db = getDb();
  const { rows, total } = queryAudit(db, {
    ...toAuditQuery(filters),
    limit: AUDIT_PAGE_SIZE,
    offset: (page - 1) * AUDIT_PAGE_SIZE,
  });
  // Only rows added since the last view are hashed; scripts/audit-verify.ts checks the whole chain.
  const verdict = verifyAuditChainSinceCheckpoint(db);
  return (
    <main className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Audit trail</h1>
        <div className="flex gap-2">
          <a href={`/api/audit/export${filterSearch(filters, { format: "csv" })}`} className={EXPORT_LINK} download>
            Export CSV
          </a>
          <a href={`/api/audit/export${filterSearch(filters, { format: "json" })}`} className={EXPORT_LINK} download>
            Export JSON
          </a>
        </div>
      </div>
      <ChainIndicator verdict={verdict} />
      <AuditFilterForm filters={filters} actions={distinct(db, "action")} actors={distinct(db, "actor")} />
      <AuditTable rows={rows} />
      <Pager filters={filters} page={page} pageSize={AUDIT_PAGE_SIZE} total={total} />
    </main>
  );
}
