"use client";

import { useState } from "react";
import type { RollbackRequest } from "@/lib/db/schema/rollback-requests";
import { StatusBadge } from "@/components/ui/status-badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, DialogInput } from "@/components/ui/dialog";
import { useDeployAction } from "@/components/deploy/use-deploy-action";
import { approveRollbackAction, rejectRollbackAction } from "./actions";
import { rollbackKeys } from "./use-rollback-state";

type Props = { service: string; requests: RollbackRequest[]; username: string; canDecide: boolean };

/** Recent requests; Approve/Reject for an eligible approver on pending ones they did not ask for themselves. */
export function RollbackRequestList({ service, requests, username, canDecide }: Props) {
  const [dialog, setDialog] = useState<{ kind: "approve" | "reject"; req: RollbackRequest } | null>(null);
  const [why, setWhy] = useState("");
  const approve = useDeployAction(approveRollbackAction, rollbackKeys(service));
  const reject = useDeployAction(rejectRollbackAction, rollbackKeys(service));
  const close = () => {
    setDialog(null);
    setWhy("");
    approve.reset();
    reject.reset();
  };
  if (requests.length === 0) return <p className="text-sm text-zinc-400">No rollback requests yet.</p>;
  return (
    <>
      <ul className="divide-y divide-zinc-800" data-testid="rollback-requests">
        {requests.map((r) => (
          <li key={r.id} className="space-y-1 py-2 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <StatusBadge kind="rollbackRequest" status={r.status} />
              <span className="text-zinc-300">
                {r.requestedBy} ({r.requestedRole}) at {new Date(r.createdAt).toLocaleTimeString()}
              </span>
              {r.status === "pending" ? (
                <span className="text-xs text-zinc-400">expires {new Date(r.expiresAt).toLocaleTimeString()}</span>
              ) : null}
            </div>
            <p className="text-zinc-100">{r.reason}</p>
            {r.decidedBy || r.decisionReason || r.result ? (
              <p className="text-xs text-zinc-400">
                {[r.decidedBy && `by ${r.decidedBy}`, r.decisionReason, r.result].filter(Boolean).join(" — ")}
              </p>
            ) : null}
            {r.status === "pending" && canDecide && r.requestedBy !== username ? (
              <div className="flex gap-2 pt-1">
                <Button variant="danger" onClick={() => setDialog({ kind: "approve", req: r })}>
                  Approve and roll back
                </Button>
                <Button variant="secondary" onClick={() => setDialog({ kind: "reject", req: r })}>
                  Reject
                </Button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={dialog?.kind === "approve"}
        title={`Roll ${service} back now?`}
        confirmLabel="Approve and roll back"
        confirmVariant="danger"
        pending={approve.isPending}
        error={approve.error?.message}
        onClose={close}
        onConfirm={() => dialog && approve.mutate({ id: dialog.req.id }, { onSuccess: close })}
      >
        <p>
          {dialog?.req.requestedBy} asked: “{dialog?.req.reason}”. Approving switches traffic back to the previous
          colour at once and stops the current one.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog?.kind === "reject"}
        title="Reject this rollback request?"
        confirmLabel="Reject"
        pending={reject.isPending}
        error={reject.error?.message}
        onClose={close}
        onConfirm={() => dialog && reject.mutate({ id: dialog.req.id, reason: why }, { onSuccess: close })}
      >
        <DialogInput label={<>Why (shown to {dialog?.req.requestedBy})</>} value={why} onChange={setWhy} />
      </ConfirmDialog>
    </>
  );
}
