import type { PlanRow, PlanRowStatus } from "@/lib/views/monitoring-plan";

const STYLE: Record<PlanRowStatus, { label: string; className: string }> = {
  passed: { label: "passed", className: "bg-emerald-900/60 text-emerald-200" },
  failed: { label: "failed", className: "bg-red-900/70 text-red-100" },
  inconclusive: { label: "inconclusive", className: "bg-amber-900/60 text-amber-100" },
  pending: { label: "pending", className: "bg-zinc-800 text-zinc-300" },
  not_run: { label: "not run", className: "bg-zinc-900 text-zinc-400" },
};

function offset(minutes: number): string {
  if (minutes < 1) return `T+${Math.round(minutes * 60)} s`;
  if (minutes < 120) return `T+${Math.round(minutes)} min`;
  return `T+${(minutes / 60).toFixed(minutes % 60 === 0 ? 0 : 1)} h`;
}

/** The monitoring plan after the switch: checkpoints, hourly and daily reports, each with its verdict and why. */
export function MonitoringTimeline({ rows }: { rows: PlanRow[] | null }) {
  return (
    <section className="mt-6 space-y-2" data-testid="monitoring-plan" aria-labelledby="monitoring-plan-title">
      <h2 id="monitoring-plan-title" className="text-lg font-semibold">
        Monitoring plan
      </h2>
      {rows === null ? (
        <p className="text-sm text-zinc-400">The plan starts at the traffic switch.</p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-zinc-400">This service has no monitoring plan.</p>
      ) : (
        <ol className="space-y-1 text-sm">
          {rows.map((r) => (
            <li
              key={r.key}
              className="grid grid-cols-[5.5rem_10rem_6.5rem_1fr] items-baseline gap-2"
              data-testid={`plan-${r.key}`}
              data-status={r.status}
            >
              <span className="tabular-nums text-zinc-400">{offset(r.offsetMinutes)}</span>
              <time className="tabular-nums text-zinc-400" dateTime={new Date(r.dueAt).toISOString()}>
                {new Date(r.dueAt).toISOString().slice(5, 16).replace("T", " ")} UTC
              </time>
              <span className={`rounded px-1.5 py-0.5 text-center text-xs ${STYLE[r.status].className}`}>
                {STYLE[r.status].label}
              </span>
              <span>
                <span className="font-medium">{r.name}</span>
                {r.summary ? (
                  <span className="block text-xs text-zinc-300">{r.summary.replace(`${r.name}: `, "")}</span>
                ) : null}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
