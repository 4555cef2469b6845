"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
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
          if (reason.trim().length < 10) return setProblem("Give a reason of at least 10 characters.");
          setProblem(null);
          run.mutate({ service, reason }, { onSuccess: () => setOpen(false) });
        }}
      >
        <p>
          This skips the second person. It is recorded in the audit log and everyone on the service&apos;s channels is
          told.
        </p>
        <label className="block space-y-1">
          <span>Reason</span>
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            className="block w-full rounded-md border border-zinc-700 bg-zinc-950 px-3 py-2 text-sm"
          />
        </label>
        <label className="block space-y-1">
          <span>
            Type <code className="font-mono">{service}</code> to confirm
          </span>
          <input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            className="block w-full rounded-md border border-zinc-700 bg-zinc-950 px-3 py-2 font-mono text-sm"
          />
        </label>
      </ConfirmDialog>
    </>
  );
}
