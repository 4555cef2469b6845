import type { Deployment } from "@/lib/db/schema";
import { cn } from "@/components/ui/cn";

/** One sentence on how the deployment ended and why, in the colour of the outcome. */
export function FinalState({ deployment: d }: { deployment: Deployment }) {
  const from = d.fromSlot ? `${d.fromSlot} (${d.fromVersion ?? "?"})` : null;
  let tone = "border-zinc-700 bg-zinc-900 text-zinc-200";
  let text: string | null = null;
  switch (d.status) {
    case "succeeded":
      tone = "border-emerald-700 bg-emerald-950/50 text-emerald-100";
      text = `${d.version} serves all traffic from ${d.toSlot}.${from && d.oldSlotRemovedAt === null && d.oldSlotUntil ? ` ${from} stays warm as the rollback target.` : ""}`;
      break;
    case "failed":
      tone = "border-red-700 bg-red-950/50 text-red-100";
      text = `Failed: ${d.error ?? "no reason recorded"}.${d.switchedAt === null && from ? ` Traffic never moved; ${from} kept serving.` : ""}`;
      break;
    case "aborted":
      text = `Aborted: ${d.error ?? "no reason recorded"}.${from ? ` ${from} kept serving.` : ""}`;
      break;
    case "expired":
      // A target kept after a failed switch expires too; its record still says until when it was kept.
      text =
        d.keptUntil !== null
          ? `Expired: ${d.error ?? "nobody retried the switch in time"}`
          : `Expired at the gate: ${d.error ?? "nobody promoted it in time"}.`;
      break;
    case "rolled_back":
      tone = "border-violet-700 bg-violet-950/50 text-violet-100";
      text = `Rolled back to ${from ?? "the previous colour"}: ${d.rollbackReason ?? "no reason recorded"}.`;
      break;
    case "rolling_back":
      tone = "border-red-700 bg-red-950/50 text-red-100";
      text = `Rolling back to ${from ?? "the previous colour"}: ${d.rollbackReason ?? ""}`;
      break;
    default:
      return null;
  }
  return (
    <p role="status" data-testid="final-state" className={cn("rounded-lg border px-4 py-3 text-base", tone)}>
      {text}
    </p>
  );
}
