"use client";

import type { ServiceOverview } from "@/lib/views/service-overview";
import { restartLiveAction } from "@/app/(console)/services/[name]/actions";
import { useDeployAction } from "@/components/deploy/use-deploy-action";
import { ErrorText } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { SlotName } from "@/components/deploy/status";
import { Since } from "@/components/deploy/time";
import { INCIDENT_TITLE } from "./incident-banner";

/**
 * The service's open incident and what fits it: start the live release again on its colour (live colour down), or
 * roll back to the warm colour through the approval-gated rollback panel below. Nothing here starts a deployment.
 */
export function IncidentPanel({ service, canAct }: { service: ServiceOverview; canAct: boolean }) {
  const restart = useDeployAction(restartLiveAction, [["service", service.name], ["incidents"]]);
  const { incident, live } = service;
  if (!incident) return null;
  const warm = (["blue", "green"] as const).find((s) => s !== live?.slot && service.slots[s].container?.running);
  return (
    <Card className="space-y-3 border-red-800 bg-red-950/40" data-testid="incident" role="alert">
      <CardTitle className="text-red-200">
        {service.name} {INCIDENT_TITLE[incident.kind]}
      </CardTitle>
      <p className="text-sm text-red-100">
        {incident.problem} · since <Since from={incident.openedAt} fallbackNow={service.readAt} />
        {incident.retryAttempts > 0 ? ` · rollback retried ${incident.retryAttempts} time(s)` : ""}
      </p>
      <div className="flex flex-wrap items-center gap-3">
        {canAct && incident.kind === "live_down" && live?.version ? (
          <Button
            variant="danger"
            disabled={restart.isPending}
            onClick={() => restart.mutate({ service: service.name })}
          >
            Start {live.version} again on {live.slot}
          </Button>
        ) : null}
        {warm ? (
          <a href="#rollback" className="text-sm font-medium text-red-100 underline">
            Roll back to <SlotName slot={warm} /> (needs an approver) →
          </a>
        ) : null}
      </div>
      {restart.data ? <p className="text-sm text-emerald-300">{restart.data.message}</p> : null}
      {restart.error ? <ErrorText>{restart.error.message}</ErrorText> : null}
    </Card>
  );
}
