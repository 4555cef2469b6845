"use client";

import { useState } from "react";
import { abortAction, continueStepAction, promoteAction } from "@/app/(console)/deployments/[id]/actions";
import type { Deployment, DeploymentStep } from "@/lib/db/schema";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { SlotName } from "./status";
import { useDeployAction } from "./use-deploy-action";

type StepDetail = { percent?: number; verdict?: string; pause?: number | "manual" };

const VERDICT_LOOK: Record<string, string> = {
  clean: "text-emerald-300",
  continued: "text-emerald-300",
  promoted: "text-emerald-300",
  inconclusive: "text-amber-300",
  breach: "text-red-300",
};

/** A weighted promotion: the split now as a bar, each step's verdict, and Continue / Promote / Abort while it runs. */
export function SplitPanel({
  deployment: d,
  steps,
  canAct,
}: {
  deployment: Deployment;
  steps: DeploymentStep[];
  canAct: boolean;
}) {
  const [confirmAbort, setConfirmAbort] = useState(false);
  const keys = [["deployment", d.id], ["service", d.service], ["services"]] as const;
  const advance = useDeployAction(continueStepAction, keys);
  const promote = useDeployAction(promoteAction, keys);
  const abort = useDeployAction(abortAction, keys);
  const split = steps.filter((s) => s.phase === "split");
  if (d.splitPercent === null || !d.fromSlot) return null;
  const share = d.splitPercent;
  const stepping = d.status === "running" && d.phase === "split";
  const judging = split.at(-1);
  const manual = stepping && (judging?.detail as StepDetail | null)?.pause === "manual";
  const error = advance.error?.message ?? promote.error?.message ?? abort.error?.message;
  return (
    <section aria-label="Traffic split" className="space-y-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <h2 className="text-lg font-semibold">Traffic split</h2>
        <span data-testid="split-figures">
          <SlotName slot={d.fromSlot} /> {100 - share} % · <SlotName slot={d.toSlot} /> {share} %
        </span>
      </div>
      <div
        className="flex h-3 overflow-hidden rounded bg-zinc-800"
        role="img"
        aria-label={`${d.fromSlot} ${100 - share} %, ${d.toSlot} ${share} %`}
        data-testid="split-bar"
      >
        {(
          [
            [d.fromSlot, 100 - share],
            [d.toSlot, share],
          ] as const
        ).map(([slot, width]) => (
          <div
            key={slot}
            className={slot === "blue" ? "bg-sky-500" : "bg-emerald-500"}
            style={{ width: `${width}%` }}
          />
        ))}
      </div>
      <ol className="space-y-1 text-sm" data-testid="split-steps">
        {split.map((s) => {
          const detail = (s.detail ?? {}) as StepDetail;
          const verdict = s.status === "running" ? "judging…" : (detail.verdict ?? s.status);
          return (
            <li key={s.id} className="flex gap-3">
              <span className="w-12 text-right font-mono">{detail.percent ?? "?"} %</span>
              <span className={VERDICT_LOOK[verdict] ?? "text-zinc-300"}>{verdict}</span>
              {s.summary ? <span className="truncate text-zinc-400">{s.summary}</span> : null}
            </li>
          );
        })}
      </ol>
      {stepping && canAct ? (
        <div className="flex flex-wrap gap-2">
          <Button disabled={advance.isPending} onClick={() => advance.mutate({ id: d.id })}>
            {manual ? "Continue to the next step" : "End this step now"}
          </Button>
          <Button variant="secondary" disabled={promote.isPending} onClick={() => promote.mutate({ id: d.id })}>
            Promote to 100 %
          </Button>
          <Button variant="danger" onClick={() => setConfirmAbort(true)}>
            Abort (back to 0 %)
          </Button>
        </div>
      ) : null}
      {error ? <p className="text-sm text-red-300">{error}</p> : null}
      <ConfirmDialog
        open={confirmAbort}
        title="Abort the weighted promotion?"
        confirmLabel="Abort: all traffic to the old colour"
        confirmVariant="danger"
        pending={abort.isPending}
        error={abort.error?.message}
        onClose={() => (setConfirmAbort(false), abort.reset())}
        onConfirm={() => abort.mutate({ id: d.id }, { onSuccess: () => setConfirmAbort(false) })}
      >
        <p>
          Every new request goes back to {d.fromSlot} ({d.fromVersion ?? "?"}) at once; the {d.toSlot} container (
          {d.version}) is drained and removed.
        </p>
      </ConfirmDialog>
    </section>
  );
}
