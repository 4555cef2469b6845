"use client";

import type { Deployment, DeploymentStep } from "@/lib/db/schema";
import { FINAL_STATUSES, PHASES, type Phase } from "@/lib/db/schema/deployment-states";
import { cn } from "@/components/ui/cn";
import { formatDuration } from "./format";
import { PHASE_LABEL, StepStatusBadge, type StepDisplayStatus } from "./status";
import { hasDetail, StepDetail } from "./step-detail";
import { useNow } from "./use-now";
import { PullProgressBar } from "./pull-progress-bar";
import type { PullProgress } from "@/lib/docker/pull-progress";

/** The pipeline's phases in order; a rollback and a cleanup appear only when they ran. */
const PIPELINE: Phase[] = PHASES.filter((p) => p !== "rollback" && p !== "cleanup");

type Row = { key: string; phase: Phase; step: DeploymentStep | null; status: StepDisplayStatus };

/** Every step that ran, in order, followed by the phases still ahead (or never reached, once it is over). */
function rows(deployment: Deployment, steps: DeploymentStep[]): Row[] {
  const out: Row[] = steps.map((s) => ({ key: `step-${s.id}`, phase: s.phase, step: s, status: s.status }));
  const seen = new Set(steps.map((s) => s.phase));
  const over = FINAL_STATUSES.includes(deployment.status) || deployment.status === "rolling_back";
  for (const phase of PIPELINE) {
    if (seen.has(phase)) continue;
    out.push({ key: `todo-${phase}`, phase, step: null, status: over ? "not_run" : "pending" });
  }
  return out;
}

export function PhaseTimeline({
  deployment,
  steps,
  readAt,
  pull,
}: {
  deployment: Deployment;
  steps: DeploymentStep[];
  readAt: number;
  pull?: PullProgress | null;
}) {
  const now = useNow() ?? readAt;
  return (
    <ol className="divide-y divide-zinc-800 rounded-lg border border-zinc-800 bg-zinc-900/60" aria-label="Phases">
      {rows(deployment, steps).map(({ key, phase, step, status }) => {
        const running = step?.status === "running";
        const waitingAtGate = running && phase === "gate" && deployment.status === "awaiting_promotion";
        const ms = step ? (step.endedAt ?? now) - step.startedAt : null;
        const summary = (
          <div className="flex min-w-0 flex-1 flex-wrap items-baseline gap-x-3 gap-y-1">
            <span className={cn("w-44 shrink-0 font-medium", step ? "text-zinc-100" : "text-zinc-500")}>
              {PHASE_LABEL[phase]}
            </span>
            <span
              className={cn(
                "min-w-0 flex-1 text-sm break-words",
                status === "failed" ? "text-red-200" : "text-zinc-300",
              )}
            >
              {waitingAtGate ? (
                <span className="font-medium text-amber-200">
                  Waiting for approval: nothing moves until someone promotes or aborts.
                </span>
              ) : (
                step?.summary
              )}
              {running && phase === "pull" && pull ? <PullProgressBar progress={pull} /> : null}
              {running && !waitingAtGate && !step?.summary && !(phase === "pull" && pull) ? (
                <span className="text-blue-200">working…</span>
              ) : null}
            </span>
          </div>
        );
        const right = (
          <span className="flex shrink-0 items-center gap-3">
            <span
              className={cn("w-28 text-right text-sm tabular-nums", running ? "text-zinc-100" : "text-zinc-400")}
              data-testid={running ? "running-duration" : undefined}
            >
              {ms !== null ? (waitingAtGate ? `waiting ${formatDuration(ms)}` : formatDuration(ms)) : ""}
            </span>
            <StepStatusBadge status={waitingAtGate ? "waiting" : status} />
          </span>
        );
        const rowClass = cn(
          "flex items-center gap-3 px-4 py-2.5",
          running && "bg-blue-950/30",
          waitingAtGate && "bg-amber-950/40",
        );
        return (
          <li key={key} data-testid={`phase-${phase}`} data-status={waitingAtGate ? "waiting" : status}>
            {step && hasDetail(step) ? (
              <details className="group">
                <summary
                  className={cn(
                    rowClass,
                    "cursor-pointer list-none hover:bg-zinc-800/60 [&::-webkit-details-marker]:hidden",
                  )}
                >
                  <span className="w-3 text-zinc-500 transition-transform group-open:rotate-90" aria-hidden>
                    ▸
                  </span>
                  {summary}
                  {right}
                </summary>
                <div className="border-t border-zinc-800 bg-zinc-950/40 px-4 py-3 pl-10">
                  <StepDetail step={step} />
                </div>
              </details>
            ) : (
              <div className={rowClass}>
                <span className="w-3" aria-hidden />
                {summary}
                {right}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
