"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Deployment } from "@/lib/db/schema";
import { abortAction, promoteAction, retryAction, retrySwitchAction } from "@/app/(console)/deployments/[id]/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { utcMoment } from "@/lib/deploy/failure-kinds";
import { SlotName } from "./status";
import { Since } from "./time";
import { useDeployAction } from "./use-deploy-action";

type Props = { deployment: Deployment; keepOldHours: number; canAct: boolean; readAt: number };

const RETRYABLE = ["failed", "aborted", "expired", "rolled_back"];

/** Promote / Retry the switch / Abort / Retry for one deployment, each behind a confirmation that says exactly what will happen. */
export function DeploymentControls({ deployment: d, keepOldHours, canAct, readAt }: Props) {
  const router = useRouter();
  const [dialog, setDialog] = useState<"promote" | "retry-switch" | "abort" | null>(null);
  const keys = [["deployment", d.id], ["service", d.service], ["services"]] as const;
  const promote = useDeployAction(promoteAction, keys);
  const abort = useDeployAction(abortAction, keys);
  const retry = useDeployAction(retryAction, keys);
  const retrySwitch = useDeployAction(retrySwitchAction, keys);
  const waiting = d.status === "awaiting_promotion";
  const kept = d.status === "switch_failed";
  const abortable = waiting || kept || (d.status === "running" && d.switchedAt === null);
  const retryable = RETRYABLE.includes(d.status);
  const from = d.fromSlot ? `${d.fromSlot} (${d.fromVersion ?? "?"})` : null;
  // Once the deployment is over, its final state says what happened; an earlier "switching…" notice would be stale.
  const over = !["running", "awaiting_promotion", "switch_failed", "rolling_back"].includes(d.status);
  const notice = over ? null : (promote.data?.message ?? retrySwitch.data?.message ?? abort.data?.message);

  if (!waiting && !abortable && !retryable && !notice && !retry.error) return null;
  return (
    <section
      aria-label="Deployment controls"
      className={
        waiting || kept
          ? "space-y-3 rounded-lg border border-amber-600 bg-amber-950/40 p-5"
          : "space-y-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
      }
    >
      {waiting ? (
        <div className="space-y-1">
          <p className="text-lg font-semibold text-amber-100" data-testid="gate-banner">
            Ready to promote: {d.service} {d.version} on <SlotName slot={d.toSlot} /> passed every check
          </p>
          <p className="text-sm text-amber-100/80">
            Waiting for approval for{" "}
            <span data-testid="gate-wait">
              {d.gateReachedAt ? <Since from={d.gateReachedAt} fallbackNow={readAt} /> : "—"}
            </span>
            . No traffic has moved yet
            {from ? `; ${from} still serves everyone` : ""}.
          </p>
        </div>
      ) : null}
      {kept ? (
        <div className="space-y-1">
          <p className="text-lg font-semibold text-amber-100" data-testid="switch-failed-banner">
            The switch failed, not the release: {d.version} on <SlotName slot={d.toSlot} /> is kept
          </p>
          <p className="text-sm text-amber-100/80">
            No traffic moved{from ? `; ${from} still serves everyone` : ""}. Fix nginx as the note below says, then
            retry the switch before{" "}
            <span data-testid="kept-until">{d.keptUntil ? utcMoment(d.keptUntil, readAt) : "—"}</span>, when the target
            is removed.
          </p>
        </div>
      ) : null}
      {canAct ? (
        <div className="flex flex-wrap gap-2">
          {kept ? (
            <Button className="px-5 py-2.5 text-base" onClick={() => setDialog("retry-switch")}>
              Retry the switch
            </Button>
          ) : null}
          {waiting ? (
            <Button className="px-5 py-2.5 text-base" onClick={() => setDialog("promote")}>
              Promote {d.toSlot}
            </Button>
          ) : null}
          {abortable ? (
            <Button variant="danger" onClick={() => setDialog("abort")}>
              Abort deployment
            </Button>
          ) : null}
          {retryable ? (
            <Button
              variant="secondary"
              disabled={retry.isPending}
              onClick={() =>
                retry.mutate(
                  { id: d.id },
                  { onSuccess: (r) => (r.deploymentId ? router.push(`/deployments/${r.deploymentId}`) : undefined) },
                )
              }
            >
              {retry.isPending ? "Starting…" : `Retry ${d.version} as a new deployment`}
            </Button>
          ) : null}
        </div>
      ) : waiting || kept ? (
        <p className="text-sm text-amber-100/80">
          A release manager or admin can {kept ? "retry the switch" : "promote"} or abort it.
        </p>
      ) : null}
      {notice ? (
        <p role="status" className="text-sm text-zinc-200">
          {notice}
        </p>
      ) : null}
      {retry.error ? <p className="text-sm text-red-300">{retry.error.message}</p> : null}

      <ConfirmDialog
        open={dialog === "promote"}
        title={`Promote ${d.toSlot}?`}
        confirmLabel={`Promote ${d.toSlot}`}
        pending={promote.isPending}
        error={promote.error?.message}
        onClose={() => (setDialog(null), promote.reset())}
        onConfirm={() => promote.mutate({ id: d.id }, { onSuccess: () => setDialog(null) })}
      >
        <p>
          nginx will send all traffic for <strong className="text-zinc-50">{d.service}</strong> to{" "}
          <strong className="text-zinc-50">
            {d.toSlot} ({d.version})
          </strong>
          {from ? (
            <>
              ; <strong className="text-zinc-50">{from}</strong> stays warm for {keepOldHours} h as the rollback target
            </>
          ) : null}
          .
        </p>
        <p>
          Greenlight then verifies through nginx that {d.version} answers, and watches error rate and latency during the
          bake window; a breach rolls back automatically.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "retry-switch"}
        title={`Retry the switch to ${d.toSlot}?`}
        confirmLabel="Retry the switch"
        pending={retrySwitch.isPending}
        error={retrySwitch.error?.message}
        onClose={() => (setDialog(null), retrySwitch.reset())}
        onConfirm={() => retrySwitch.mutate({ id: d.id }, { onSuccess: () => setDialog(null) })}
      >
        <p>
          Greenlight checks the kept{" "}
          <strong className="text-zinc-50">
            {d.toSlot} ({d.version})
          </strong>{" "}
          container&apos;s health and smoke tests again, then nginx sends all traffic for{" "}
          <strong className="text-zinc-50">{d.service}</strong> to it, as a promote would. The backup and the migration
          are not run again.
        </p>
        <p>If nginx still refuses, nothing moves and the target stays kept.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "abort"}
        title="Abort this deployment?"
        confirmLabel="Abort deployment"
        confirmVariant="danger"
        pending={abort.isPending}
        error={abort.error?.message}
        onClose={() => (setDialog(null), abort.reset())}
        onConfirm={() => abort.mutate({ id: d.id }, { onSuccess: () => setDialog(null) })}
      >
        <p>
          The {d.toSlot} container ({d.version}) is stopped and removed; its logs are kept with this deployment.
          {from ? ` ${from} keeps serving; no traffic moves.` : ""}
        </p>
        <p>You can retry the same release later as a new, fully checked deployment.</p>
      </ConfirmDialog>
    </section>
  );
}
