"use client";

import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { DeploymentSnapshot } from "@/lib/views/deployment-snapshot";
import { ErrorText } from "@/components/ui/alert";
import { DeploymentControls } from "./deployment-controls";
import { EventList } from "./event-list";
import { fetchJson } from "./fetch-json";
import { LogTailPanel } from "./log-tail";
import { PhaseTimeline } from "./phase-timeline";
import { FinalState } from "./final-state";
import { FailureNote } from "./failure-note";
import { DeploymentStatusBadge, SlotName } from "./status";
import { SplitPanel } from "./split-panel";
import { StreamIndicator } from "./stream-indicator";
import { Since, Time } from "./time";
import { useEventSource } from "./use-event-source";
import { DeploymentWatchCharts } from "@/components/metrics/deployment-watch-charts";
import type { ChartMarker } from "@/lib/views/metrics-markers";
import { shortDigest } from "@/lib/docker/pinned-reference";

type WatchThresholds = { p95Ms: number; errorRatePercent: number; memoryMb: number; dbErrorsPerMinute?: number };

type Props = {
  initial: DeploymentSnapshot;
  canAct: boolean;
  keepOldHours: number;
  thresholds?: WatchThresholds;
  /** What the release carried (notes, test report), rendered on the server: it never changes during a deployment. */
  release?: ReactNode;
};

/** Charts from a minute before the switch to the end (or now, while watching), marked at switch and rollback. */
function WatchWindow({ snapshot, thresholds }: { snapshot: DeploymentSnapshot; thresholds?: WatchThresholds }) {
  const { deployment: d, steps } = snapshot;
  if (d.switchedAt === null) return null;
  const rollback = steps.find((s) => s.phase === "rollback");
  const markers: ChartMarker[] = [
    { t: Math.floor(d.switchedAt / 1000), label: `switch to ${d.toSlot}`, kind: "switch" },
  ];
  // Each weighted step after the first is a switch of its own share.
  for (const s of steps.filter((s) => s.phase === "split").slice(1))
    markers.push({
      t: Math.floor(s.startedAt / 1000),
      label: `${(s.detail as { percent?: number } | null)?.percent ?? "?"} % to ${d.toSlot}`,
      kind: "switch",
    });
  if (rollback)
    markers.push({ t: Math.floor(rollback.startedAt / 1000), label: `rollback to ${d.fromSlot}`, kind: "rollback" });
  const final = d.finishedAt !== null;
  return (
    <section className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold">Metrics around the switch</h2>
        {final ? (
          <Link href={`/deployments/${d.id}/report`} className="text-sm text-emerald-400 hover:underline">
            {d.status === "succeeded" ? "Success report" : "Deployment report"} →
          </Link>
        ) : null}
      </div>
      <DeploymentWatchCharts
        service={d.service}
        from={d.switchedAt - 60_000}
        to={final ? d.finishedAt! + 30_000 : null}
        markers={markers}
        thresholds={thresholds}
      />
    </section>
  );
}

export function DeploymentView({ initial, canAct, keepOldHours, thresholds, release }: Props) {
  const client = useQueryClient();
  const id = initial.deployment.id;
  const [streamProblem, setStreamProblem] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ["deployment", id],
    queryFn: () => fetchJson<DeploymentSnapshot>(`/api/deployments/${id}`),
    initialData: initial,
    refetchInterval: 30_000,
  });
  const stream = useEventSource<DeploymentSnapshot>(
    `/api/deployments/${id}/events`,
    (data) => (setStreamProblem(null), client.setQueryData(["deployment", id], data)),
    setStreamProblem,
  );
  const { deployment: d, steps, events, readAt } = query.data;
  const moving = d.status === "running" || d.status === "awaiting_promotion" || d.status === "rolling_back";

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <p className="text-sm text-zinc-400">
          <Link href={`/services/${encodeURIComponent(d.service)}`} className="hover:text-zinc-200 hover:underline">
            ← {d.service}
          </Link>
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">
            {d.service} <span className="font-mono">{d.version}</span>
          </h1>
          <span className="flex items-center gap-2 text-zinc-300">
            {d.fromSlot ? (
              <>
                <SlotName slot={d.fromSlot} /> <span className="font-mono text-sm">{d.fromVersion}</span> →
              </>
            ) : (
              "first install →"
            )}
            <SlotName slot={d.toSlot} />
          </span>
          <DeploymentStatusBadge status={d.status} />
          <StreamIndicator state={stream} />
        </div>
        <p className="text-sm text-zinc-400">
          <span className="font-mono">{d.id}</span> · <span className="font-mono">{d.image}</span>
          {shortDigest(d.imageDigest) ? (
            <>
              {" "}
              <span className="font-mono text-zinc-300" data-testid="image-digest" title={d.imageDigest ?? undefined}>
                {shortDigest(d.imageDigest)}
              </span>
            </>
          ) : null}{" "}
          · started by {d.requestedBy} at <Time at={d.createdAt} />
          {d.promotedBy ? ` · promoted by ${d.promotedBy}` : ""}
          {d.autoPromote ? " · auto-promote" : ""} ·{" "}
          {d.finishedAt ? (
            <>took {Math.round((d.finishedAt - d.createdAt) / 1000)} s</>
          ) : (
            <>
              running for <Since from={d.createdAt} fallbackNow={readAt} />
            </>
          )}
        </p>
      </div>
      {streamProblem ? <ErrorText>Live updates: {streamProblem}</ErrorText> : null}
      <FinalState deployment={d} />
      <FailureNote deployment={d} steps={steps} />
      <DeploymentControls deployment={d} keepOldHours={keepOldHours} canAct={canAct} readAt={readAt} />
      <SplitPanel deployment={d} steps={steps} canAct={canAct} />
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Phases</h2>
        <PhaseTimeline deployment={d} steps={steps} readAt={readAt} pull={query.data.pull} />
      </section>
      <WatchWindow snapshot={query.data} thresholds={thresholds} />
      {release}
      <LogTailPanel deploymentId={d.id} moving={moving} />
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Events</h2>
        <EventList events={events} />
      </section>
    </div>
  );
}
