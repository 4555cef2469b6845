"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { LogTail } from "@/lib/views/deployment-logs";
import { Button } from "@/components/ui/button";
import { fetchJson } from "./fetch-json";
import { Time } from "./time";

/** The target container's recent output; refreshed every few seconds while the deployment is moving. */
export function LogTailPanel({ deploymentId, moving }: { deploymentId: string; moving: boolean }) {
  const [open, setOpen] = useState(false);
  const query = useQuery({
    queryKey: ["deployment-logs", deploymentId],
    queryFn: () => fetchJson<LogTail>(`/api/deployments/${deploymentId}/logs?tail=200`),
    enabled: open,
    refetchInterval: open && moving ? 3_000 : false,
  });
  return (
    <section className="space-y-2">
      <div className="flex items-center gap-3">
        <h2 className="text-lg font-semibold">Target logs</h2>
        <Button variant="secondary" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {open ? "Hide" : "Show"} log tail
        </Button>
        {open && query.data ? (
          <span className="text-xs text-zinc-400">
            {query.data.source === "container"
              ? `live from ${query.data.container}`
              : query.data.source === "record"
                ? "kept when the target was removed"
                : "no logs"}{" "}
            · read <Time at={query.data.readAt} />
          </span>
        ) : null}
      </div>
      {open ? (
        query.isError ? (
          <p className="text-sm text-red-300">Could not read the logs: {query.error.message}</p>
        ) : query.isPending ? (
          <p className="text-sm text-zinc-400">Reading logs…</p>
        ) : (
          <pre
            className="max-h-96 overflow-auto rounded-lg border border-zinc-800 bg-zinc-950 p-3 text-xs leading-5 text-zinc-300"
            data-testid="log-tail"
          >
            {query.data.text || "(the target wrote nothing yet)"}
          </pre>
        )
      ) : null}
    </section>
  );
}
