"use client";

import { useId, useState } from "react";
import { ErrorText } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/input";
import { useDeployAction } from "@/components/deploy/use-deploy-action";
import { requestRollbackAction } from "./actions";
import { rollbackKeys } from "./use-rollback-state";

/** "Request rollback" with its mandatory reason (10 to 500 characters); someone else approves it. */
export function RequestRollbackForm({ service, disabled }: { service: string; disabled?: boolean }) {
  const id = useId();
  const [reason, setReason] = useState("");
  const ask = useDeployAction(requestRollbackAction, rollbackKeys(service));
  const length = reason.trim().length;
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        ask.mutate({ service, reason }, { onSuccess: () => setReason("") });
      }}
    >
      <Label htmlFor={id}>Why roll back? (required)</Label>
      <textarea
        id={id}
        name="reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        minLength={10}
        maxLength={500}
        required
        rows={2}
        placeholder="e.g. error rate on green above 5% since the switch"
        className="block w-full rounded-md border border-zinc-700 bg-zinc-900 px-3 py-2 text-sm text-zinc-100 placeholder:text-zinc-500"
      />
      <div className="flex items-center justify-between gap-2">
        <span className="text-xs text-zinc-400">{length}/500</span>
        <Button type="submit" variant="danger" disabled={disabled || ask.isPending || length < 10}>
          {ask.isPending ? "Requesting…" : "Request rollback"}
        </Button>
      </div>
      {ask.error ? <ErrorText>{ask.error.message}</ErrorText> : null}
      {ask.isSuccess ? (
        <p className="text-sm text-emerald-300">
          Requested; a release manager or admin other than you has 15 minutes to approve it.
        </p>
      ) : null}
    </form>
  );
}
