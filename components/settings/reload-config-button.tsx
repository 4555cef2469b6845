"use client";

import { reloadConfigAction } from "@/app/(console)/settings/actions";
import { Button } from "@/components/ui/button";
import { useSettingsAction } from "./use-settings-action";

/** Reads greenlight.yaml again; says what changed, or which field is wrong while the running config stays. */
export function ReloadConfigButton() {
  const reload = useSettingsAction(reloadConfigAction);
  const result = reload.data;
  return (
    <div className="space-y-2">
      <Button variant="secondary" disabled={reload.isPending} onClick={() => reload.mutate({})}>
        {reload.isPending ? "Reloading…" : "Reload greenlight.yaml"}
      </Button>
      <div role="status" className="text-sm" data-testid="reload-result">
        {reload.error ? <p className="text-red-300">{reload.error.message}</p> : null}
        {result?.ok ? (
          <p className="text-emerald-300">
            Reloaded: {result.changes.length > 0 ? result.changes.join("; ") : "no changes"}. Deployments under way keep
            the config they started with.
          </p>
        ) : null}
        {result && !result.ok ? (
          <div className="text-red-300">
            <p>{result.file} is not valid; the running config stays:</p>
            <ul className="list-disc pl-5">
              {result.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </div>
  );
}
