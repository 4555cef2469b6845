import type { StreamState } from "./use-event-source";

const TEXT: Record<StreamState, string> = { connecting: "connecting…", live: "live", reconnecting: "reconnecting…" };

export function StreamIndicator({ state }: { state: StreamState }) {
  return (
    <span className="ml-auto inline-flex items-center gap-1.5 text-xs text-zinc-400" role="status" data-stream={state}>
      <span
        className={`size-2 rounded-full ${state === "live" ? "bg-emerald-400" : "animate-pulse bg-amber-400"}`}
        aria-hidden
      />
      {TEXT[state]}
    </span>
  );
}
