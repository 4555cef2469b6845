import type { HealthView } from "@/lib/views/live-health";
import { Badge } from "@/components/ui/badge";

export function HealthBadge({ health, running }: { health: HealthView | null; running: boolean }) {
  if (!running) return <Badge tone="red">not running</Badge>;
  if (!health) return <Badge>health unknown</Badge>;
  if (health.ok)
    return (
      <Badge tone="green" title={`answered ${health.status ?? "?"} in ${Math.round(health.ms)} ms`}>
        healthy
      </Badge>
    );
  return (
    <Badge tone="red" title={health.reason ?? undefined}>
      unhealthy{health.reason ? `: ${health.reason}` : ""}
    </Badge>
  );
}
