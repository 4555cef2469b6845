"use client";

import { useState } from "react";
import { forceReleaseLockAction } from "@/app/(console)/services/[name]/actions";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { ConfirmDialog, DialogInput, shortReason } from "@/components/ui/dialog";
import type { ServiceOverview } from "@/lib/views/service-overview";
import { Since } from "./time";
import { useDeployAction } from "./use-deploy-action";

/** The service's deploy lock, and for admins a way to release it when its holder died; the reason is mandatory. */
export function ForceReleaseLock({
  service,
  lock,
  readAt,
}: {
  service: string;
  lock: ServiceOverview["lock"];
  readAt: number;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const run = useDeployAction(forceReleaseLockAction, [["service", service]]);
  const close = () => {
    setOpen(false);
    setReason("");
    setProblem(null);
    run.reset();
  };
  // Once released, the lock is gone from the overview: the outcome stays on the page in its place.
  if (!lock) return run.data ? <p className="text-sm text-emerald-300">{run.data.message}</p> : null;
  return (
    <Card className="space-y-2" data-testid="deploy-lock">
      <CardTitle>Deploy lock</CardTitle>
      <p className="text-sm text-zinc-300">
        Held by <span className="font-mono">{lock.holder}</span> ({lock.reason}) for{" "}
        <Since from={lock.acquiredAt} fallbackNow={readAt} />.
      </p>
      <Button variant="ghost" className="border border-amber-700 text-amber-300" onClick={() => setOpen(true)}>
        Force-release the lock
      </Button>
      {run.data ? <p className="text-sm text-emerald-300">{run.data.message}</p> : null}
      <ConfirmDialog
        open={open}
        title={`Release the deploy lock of ${service}`}
        confirmLabel="Release the lock"
        confirmVariant="danger"
        pending={run.isPending}
        error={problem ?? run.error?.message}
        onClose={close}
        onConfirm={() => {
          if (shortReason(reason)) return setProblem(shortReason(reason));
          setProblem(null);
          run.mutate({ service, reason }, { onSuccess: () => setOpen(false) });
        }}
      >
        <p>
          Only for a holder that is gone (a killed process, a deployment that never let go). A live deployment&apos;s
          lock is refused: abort it instead. This is recorded in the audit log and announced on the service&apos;s
          channels.
        </p>
        <DialogInput label="Reason" value={reason} onChange={setReason} />
      </ConfirmDialog>
    </Card>
  );
}
