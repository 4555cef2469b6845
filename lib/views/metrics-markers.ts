import type { Deployment, DeploymentStep } from "@/lib/db/schema";

/** A moment drawn as a vertical line on the charts; t in epoch seconds like the series. */
export type ChartMarker = { t: number; label: string; kind: "switch" | "rollback"; deploymentId?: string };

/**
 * Switch and rollback moments of deployments: the switch when traffic moved to the new colour, the rollback when the
 * rollback step started (else when the deployment ended rolled back). Only those inside [from, to] when given.
 */
export function buildMarkers(
  deployments: readonly Deployment[],
  steps: readonly Pick<DeploymentStep, "deploymentId" | "phase" | "startedAt">[] = [],
  range: { from?: number; to?: number } = {},
): ChartMarker[] {
  const rollbackStart = new Map<string, number>();
  for (const s of steps)
    if (s.phase === "rollback" && !rollbackStart.has(s.deploymentId)) rollbackStart.set(s.deploymentId, s.startedAt);
  const markers: ChartMarker[] = [];
  for (const d of deployments) {
    if (d.switchedAt !== null)
      markers.push({
        t: Math.floor(d.switchedAt / 1000),
        label: `switch ${d.version}`,
        kind: "switch",
        deploymentId: d.id,
      });
    if (d.status === "rolled_back") {
      const at = rollbackStart.get(d.id) ?? d.finishedAt ?? d.updatedAt;
      markers.push({ t: Math.floor(at / 1000), label: `rollback ${d.version}`, kind: "rollback", deploymentId: d.id });
    }
  }
  return markers
    .filter((m) => (range.from === undefined || m.t >= range.from) && (range.to === undefined || m.t <= range.to))
    .sort((a, b) => a.t - b.t);
}
