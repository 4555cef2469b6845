import Link from "next/link";
import type { ServiceOverview } from "@/lib/views/service-overview";
import { Card } from "@/components/ui/card";
import { PHASE_LABEL, DeploymentStatusBadge, SlotName } from "./status";
import { HealthBadge } from "./health-badge";
import { Since } from "./time";
import { MetricsSparkline } from "@/components/metrics/metrics-sparkline";
import { AlertRows } from "@/components/alerts/alert-rows";

const RECENTLY_RESOLVED_MS = 3_600_000;

export function ServiceCard({ service }: { service: ServiceOverview }) {
  const { live, active, lock } = service;
  // The card names what needs an eye: rules pending or firing, and the ones that resolved within the hour.
  const alerts = (service.alerts ?? []).filter(
    (a) =>
      a.state === "firing" ||
      a.state === "pending" ||
      (a.state === "resolved" && service.readAt - (a.resolvedAt ?? 0) < RECENTLY_RESOLVED_MS),
  );
  return (
    <Card className="flex flex-col gap-4" data-testid={`service-card-${service.name}`}>
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="truncate text-lg font-semibold">
            <Link
              href={`/services/${encodeURIComponent(service.name)}`}
              className="hover:underline focus-visible:outline-2 focus-visible:outline-emerald-400"
            >
              {service.name}
            </Link>
          </h2>
          <p className="truncate text-xs text-zinc-400">{service.repository}</p>
        </div>
        <HealthBadge health={service.health} running={live?.running ?? false} />
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="text-zinc-400">Live</dt>
        <dd data-testid="live">
          {live ? (
            <span className="flex items-center gap-2">
              <SlotName slot={live.slot} />
              <span className="font-mono text-zinc-100">{live.version ?? "no container"}</span>
            </span>
          ) : (
            <span className="text-zinc-400">nginx has no upstream for this service yet</span>
          )}
        </dd>
        <dt className="text-zinc-400">Deploying</dt>
        <dd>
          {active ? (
            <Link href={`/deployments/${active.id}`} className="flex flex-wrap items-center gap-2 hover:underline">
              <span className="font-mono">{active.version}</span>→<SlotName slot={active.toSlot} />
              <DeploymentStatusBadge status={active.status} />
              <span className="text-zinc-300">{PHASE_LABEL[active.phase]}</span>
            </Link>
          ) : (
            <span className="text-zinc-400">nothing in progress</span>
          )}
        </dd>
        <dt className="text-zinc-400">Lock</dt>
        <dd>
          {lock ? (
            <span className="text-amber-200">
              {lock.reason} · held <Since from={lock.acquiredAt} fallbackNow={service.readAt} />
            </span>
          ) : (
            <span className="text-zinc-400">free</span>
          )}
        </dd>
      </dl>
      <MetricsSparkline service={service.name} />
      {alerts.length > 0 ? (
        <div data-testid="service-alerts">
          <AlertRows alerts={alerts} now={service.readAt} />
        </div>
      ) : null}
      {service.problem ? (
        <p
          role={service.incident ? "alert" : undefined}
          data-testid={service.incident ? "service-incident" : undefined}
          className="rounded-md border border-red-800 bg-red-950/60 px-3 py-2 text-sm text-red-200"
        >
          {service.incident ? (
            <strong className="font-semibold">
              {service.incident.kind === "live_down" ? "Down: " : "Serving a failed release: "}
            </strong>
          ) : null}
          {service.problem}
        </p>
      ) : null}
      <Link
        href={`/services/${encodeURIComponent(service.name)}`}
        className="mt-auto self-start text-sm font-medium text-emerald-400 hover:text-emerald-300 hover:underline"
      >
        Open {service.name} →
      </Link>
    </Card>
  );
}
