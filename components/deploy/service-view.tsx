"use client";

import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { ReleaseImage } from "@/lib/views/release-images";
import type { ServiceOverview } from "@/lib/views/service-overview";
import { ErrorText } from "@/components/ui/alert";
import { Card, CardTitle } from "@/components/ui/card";
import { DeployForm } from "./deploy-form";
import { IncidentPanel } from "@/components/incidents/incident-panel";
import { DeploymentControls } from "./deployment-controls";
import { ForceReleaseLock } from "./force-release-lock";
import { fetchJson } from "./fetch-json";
import { HealthBadge } from "./health-badge";
import { HistoryTable } from "./history-table";
import { SlotPanel } from "./slot-panel";
import { DeploymentStatusBadge, PHASE_LABEL, SlotName } from "./status";
import { StreamIndicator } from "./stream-indicator";
import { Since } from "./time";
import { useEventSource } from "./use-event-source";

type Props = {
  /** On-call and above may start the live release again when its colour is down. */
  canAct?: boolean;
  initial: ServiceOverview;
  images: ReleaseImage[];
  canDeploy: boolean;
  /** Admins may force-release a deploy lock whose holder died. */
  canReleaseLock?: boolean;
  keepOldHours: number;
  /** Shown under the slots: the rollback panel, for the roles that see it. */
  rollback?: ReactNode;
};

export function ServiceView({
  initial,
  images,
  canDeploy,
  canReleaseLock = false,
  keepOldHours,
  rollback,
  canAct = canDeploy,
}: Props) {
  const client = useQueryClient();
  const key = ["service", initial.name];
  const [streamProblem, setStreamProblem] = useState<string | null>(null);
  const query = useQuery({
    queryKey: key,
    queryFn: () => fetchJson<ServiceOverview>(`/api/services/${encodeURIComponent(initial.name)}`),
    initialData: initial,
    refetchInterval: 15_000,
  });
  const stream = useEventSource<ServiceOverview>(
    `/api/services/${encodeURIComponent(initial.name)}/events`,
    (data) => (setStreamProblem(null), client.setQueryData(key, data)),
    setStreamProblem,
  );
  const s = query.data;
  const target = s.live ? (s.live.slot === "blue" ? "green" : "blue") : "blue";
  const busy = s.active
    ? `${s.active.id} (${s.active.version}) is ${s.active.status === "awaiting_promotion" ? "waiting at the gate" : s.active.status === "switch_failed" ? "waiting for a retry of its switch" : "in progress"}; finish or abort it first.`
    : s.lock
      ? `Locked: ${s.lock.reason}.`
      : null;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{s.name}</h1>
        {s.live ? (
          <span className="flex items-center gap-2 text-sm text-zinc-300">
            serves <span className="font-mono text-zinc-50">{s.live.version}</span> from <SlotName slot={s.live.slot} />
          </span>
        ) : null}
        <HealthBadge health={s.health} running={s.live?.running ?? false} />
        <StreamIndicator state={stream} />
        <Link
          href={`/services/${encodeURIComponent(s.name)}/metrics`}
          className="ml-auto text-sm text-emerald-400 hover:underline"
        >
          Metrics →
        </Link>
      </div>
      {s.incident ? (
        <IncidentPanel service={s} canAct={canAct} />
      ) : s.problem ? (
        <ErrorText>{s.problem}</ErrorText>
      ) : null}
      {streamProblem ? <ErrorText>Live updates: {streamProblem}</ErrorText> : null}
      {query.isError ? <ErrorText>Could not refresh: {query.error.message}</ErrorText> : null}

      {s.active ? (
        <Card className="space-y-3" data-testid="active-deployment">
          <div className="flex flex-wrap items-center gap-3">
            <CardTitle>Deployment in progress</CardTitle>
            <DeploymentStatusBadge status={s.active.status} />
            <Link href={`/deployments/${s.active.id}`} className="text-sm font-medium text-emerald-400 hover:underline">
              Follow {s.active.id} →
            </Link>
          </div>
          <p className="text-sm text-zinc-300">
            <span className="font-mono text-zinc-50">{s.active.version}</span> → <SlotName slot={s.active.toSlot} /> ·{" "}
            {PHASE_LABEL[s.active.phase]} · started by {s.active.requestedBy}{" "}
            <Since from={s.active.createdAt} fallbackNow={s.readAt} /> ago
          </p>
          <DeploymentControls deployment={s.active} keepOldHours={keepOldHours} canAct={canDeploy} readAt={s.readAt} />
        </Card>
      ) : null}

      <div className="grid gap-4 md:grid-cols-2">
        <SlotPanel slot={s.slots.blue} readAt={s.readAt} deploying={s.active?.toSlot === "blue"} />
        <SlotPanel slot={s.slots.green} readAt={s.readAt} deploying={s.active?.toSlot === "green"} />
      </div>

      <div id="rollback">{rollback}</div>

      {canReleaseLock ? <ForceReleaseLock service={s.name} lock={s.lock} readAt={s.readAt} /> : null}

      {canDeploy ? (
        <Card className="space-y-3">
          <CardTitle>Deploy a release</CardTitle>
          <DeployForm
            service={s.name}
            images={images}
            liveVersion={s.live?.version ?? null}
            targetSlot={target}
            busy={busy}
            pullFrom={s.pull === "never" ? null : s.repository}
          />
        </Card>
      ) : null}

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">History</h2>
        <HistoryTable deployments={s.history} />
      </section>
    </div>
  );
}
