import type { Metadata } from "next";
import Link from "next/link";
import { MetricsSparkline } from "@/components/metrics/metrics-sparkline";
import { requireUser } from "@/lib/auth/guard";
import { getEngineContext } from "@/lib/deploy/engine";
import { liveSlotsOf } from "@/lib/deploy/metrics-evaluator";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Metrics · Greenlight" };

/** Every declared service with a glance at its error rate and P95, each linking to its board. */
export default async function MetricsIndexPage() {
  await requireUser();
  const ctx = getEngineContext();
  const live = liveSlotsOf(ctx.config)();
  return (
    <main className="space-y-4">
      <h1 className="text-2xl font-semibold">Metrics</h1>
      <ul className="grid gap-3 md:grid-cols-2" data-testid="metrics-services">
        {ctx.config.services.map((s) => (
          <li key={s.name} className="rounded-lg border border-zinc-800 bg-zinc-900/60 p-4">
            <div className="mb-2 flex items-baseline justify-between gap-2">
              <Link
                href={`/services/${encodeURIComponent(s.name)}/metrics`}
                className="text-lg font-semibold text-zinc-100 hover:underline"
              >
                {s.name}
              </Link>
              <span className="text-xs text-zinc-400">
                live: {live[s.name] ?? "unknown"} · limits {s.thresholds.errorRatePercent}% errors, P95{" "}
                {s.thresholds.p95Ms} ms
              </span>
            </div>
            <MetricsSparkline service={s.name} />
            <div className="mt-2 flex gap-3 text-xs">
              {(["5m", "1h", "24h"] as const).map((w) => (
                <Link
                  key={w}
                  href={`/services/${encodeURIComponent(s.name)}/metrics?window=${w}`}
                  className="text-sky-300 hover:underline"
                >
                  last {w}
                </Link>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </main>
  );
}
