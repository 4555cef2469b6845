import type { HealthView } from "@/lib/views/live-health";
import { StatusBadge } from "@/components/ui/status-badge";

export function HealthBadge({ health, running }: { health: HealthView | null; running: boolean }) {
  if (!running) return <StatusBadge kind="health" status="not_running" />;
  if (!health) return <StatusBadge kind="health" status="unknown" />;
  if (health.ok)
    return (
      <StatusBadge
        kind="health"
        status="healthy"
        title={`answered ${health.status ?? "?"} in ${Math.round(health.ms)} ms`}
      />
    );
  return (
    <StatusBadge kind="health" status="unhealthy" title={health.reason ?? undefined}>
      unhealthy{health.reason ? `: ${health.reason}` : ""}
    </StatusBadge>
  );
}
