import type { AuditVerdict } from "@/lib/audit/verify";
import { cn } from "@/components/ui/cn";

/** The verdict of re-hashing the whole audit chain, in words and colour. */
export function ChainIndicator({ verdict }: { verdict: AuditVerdict }) {
  return (
    <p
      data-testid="audit-chain"
      data-ok={verdict.ok}
      role="status"
      className={cn(
        "flex items-start gap-2 rounded-md border px-3 py-2 text-sm",
        verdict.ok
          ? "border-emerald-800 bg-emerald-950/50 text-emerald-200"
          : "border-red-800 bg-red-950/60 text-red-200",
      )}
    >
      <span aria-hidden="true">{verdict.ok ? "✔" : "✖"}</span>
      <span>
        {verdict.ok
          ? `Audit chain intact: ${verdict.rows.toLocaleString("en-GB")} ${verdict.rows === 1 ? "entry" : "entries"} verified`
          : `Chain broken at entry #${verdict.brokenAt}: ${verdict.reason} (${verdict.rows} entries before it verified)`}
      </span>
    </p>
  );
}
