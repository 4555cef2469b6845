"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, DialogInput, shortReason } from "@/components/ui/dialog";
import { useDeployAction } from "@/components/deploy/use-deploy-action";
import { breakGlassAction } from "./actions";
import { rollbackKeys } from "./use-rollback-state";

/** Admin-only immediate rollback without approval, behind a confirmation that needs the service name typed. */
export function BreakGlassButton({ service }: { service: string }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const run = useDeployAction(breakGlassAction, rollbackKeys(service));
  const close = () => {
    setOpen(false);
    setTyped("");
    setReason("");
    setProblem(null);
    run.reset();
  };
  return (
    <>
      <Button variant="ghost" className="border border-red-800 text-red-300" onClick={() => setOpen(true)}>
        Break glass: roll back without approval
      </Button>
      {run.data ? <p className="text-sm text-emerald-300">{run.data.message}</p> : null}
      <ConfirmDialog
        open={open}
        title={`Break-glass rollback of ${service}`}
        confirmLabel="Roll back now"
        confirmVariant="danger"
        pending={run.isPending}
        error={problem ?? run.error?.message}
        onClose={close}
        onConfirm={() => {
          if (typed !== service) return setProblem(`Type ${service} exactly to confirm.`);
          if (shortReason(reason)) return setProblem(shortReason(reason));
          setProblem(null);
          run.mutate({ service, reason }, { onSuccess: () => setOpen(false) });
        }}
      >
        <p>
          This skips the second person. It is recorded in the audit log and everyone on the service&apos;s channels is
          told.
        </p>
        <DialogInput label="Reason" value={reason} onChange={setReason} />
        <DialogInput
          label={
            <>
              Type <code className="font-mono">{service}</code> to confirm
            </>
          }
          value={typed}
          onChange={setTyped}
          mono
        />
      </ConfirmDialog>
    </>
  );
}
