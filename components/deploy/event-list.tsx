import type { DeploymentEvent } from "@/lib/db/schema";
import { cn } from "@/components/ui/cn";
import { Time } from "./time";

export function EventList({ events }: { events: DeploymentEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-zinc-400">No events yet.</p>;
  return (
    <ol className="space-y-1 rounded-lg border border-zinc-800 bg-zinc-900/60 p-3 text-sm" data-testid="events">
      {events.map((e) => (
        <li key={e.id} className="flex gap-3">
          <span className="shrink-0 text-zinc-400 tabular-nums">
            <Time at={e.at} />
          </span>
          <span
            className={cn(
              "w-12 shrink-0 text-xs leading-5 font-medium uppercase",
              e.level === "error" ? "text-red-300" : e.level === "warn" ? "text-amber-300" : "text-zinc-400",
            )}
          >
            {e.level}
          </span>
          <span className="min-w-0 break-words text-zinc-200">{e.message}</span>
        </li>
      ))}
    </ol>
  );
}
