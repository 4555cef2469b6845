import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DailyReportSection } from "@/components/metrics/daily-report-section";
import { MetricsBoard } from "@/components/metrics/metrics-board";
import { ErrorText } from "@/components/ui/alert";
import { requireUser, roleAtLeast } from "@/lib/auth/guard";
import { AlertsPanel } from "@/components/alerts/alerts-panel";
import { getEngineContext } from "@/lib/deploy/engine";
import { liveSlotsOf } from "@/lib/deploy/metrics-evaluator";
import { publicMessage, ValidationError } from "@/lib/errors";
import { queryWindow } from "@/lib/metrics/query-window";
import { recentDailyReports, type ServiceDailyReport } from "@/lib/views/metrics-daily";
import { queryRange } from "@/lib/views/metrics-range";
import { serviceTabMetadata } from "@/lib/views/service-tab-state";
import { ServiceTab } from "@/components/service-tab";
import { DEFAULT_WINDOW, isMetricsWindow, parseRange, serviceMarkers } from "@/lib/views/metrics-window";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ name: string }>;
  searchParams: Promise<{ window?: string | string[]; from?: string | string[]; to?: string | string[] }>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const name = decodeURIComponent((await params).name);
  const ctx = getEngineContext();
  if (!ctx.config.services.some((s) => s.name === name)) return { title: `${name} metrics · Greenlight` };
  return serviceTabMetadata(ctx.db, name, "metrics");
}

export default async function ServiceMetricsPage({ params, searchParams }: Props) {
  const user = await requireUser();
  const name = decodeURIComponent((await params).name);
  const query = await searchParams;
  const asked = query.window;
  const ctx = getEngineContext();
  const service = ctx.config.services.find((s) => s.name === name);
  if (!service) notFound();
  const window = isMetricsWindow(asked) ? asked : DEFAULT_WINDOW;
  let problem: string | null =
    asked !== undefined && !isMetricsWindow(asked)
      ? publicMessage(new ValidationError(`Unknown time range "${String(asked)}"; showing ${DEFAULT_WINDOW}.`))
      : null;
  let range: { from: number; to: number } | null = null;
  try {
    range = parseRange(query.from, query.to);
  } catch (error) {
    problem = `${publicMessage(error)} Showing the last ${window}.`;
  }
  let initial = null;
  let initialRange = null;
  let days: ServiceDailyReport[] = [];
  let markers: ReturnType<typeof serviceMarkers> = [];
  try {
    if (range) initialRange = queryRange({ db: ctx.db, service: name, ...range });
    else initial = queryWindow({ db: ctx.db, service: name, window });
    markers = serviceMarkers(ctx.db, name, 50, range ?? undefined);
    days = recentDailyReports(ctx.db, name, 3);
  } catch (error) {
    problem = publicMessage(error);
  }
  const live = liveSlotsOf(ctx.config)()[name] ?? null;
  return (
    <main className="space-y-4">
      <ServiceTab service={name} page="metrics" />
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">
          <Link href={`/services/${encodeURIComponent(name)}`} className="hover:underline">
            {name}
          </Link>{" "}
          <span className="text-zinc-400">metrics</span>
        </h1>
        <p className="text-sm text-zinc-400">
          {live ? (
            <>
              nginx sends traffic to{" "}
              <span className={live === "blue" ? "text-blue-400" : "text-green-400"}>{live}</span>
            </>
          ) : (
            "live colour unknown"
          )}
        </p>
      </div>
      {problem ? <ErrorText>{problem}</ErrorText> : null}
      <AlertsPanel service={name} canSilence={roleAtLeast(user.role, "oncall")} />
      <MetricsBoard
        service={name}
        window={window}
        initial={initial}
        thresholds={{
          p95Ms: service.thresholds.p95Ms,
          errorRatePercent: service.thresholds.errorRatePercent,
          memoryMb: service.thresholds.memoryMb,
          dbErrorsPerMinute: service.thresholds.dbErrorsPerMinute,
        }}
        markers={markers}
        live={live}
        range={range}
        initialRange={initialRange}
      />
      {days.length > 0 ? <DailyReportSection service={name} days={days} /> : null}
    </main>
  );
}
