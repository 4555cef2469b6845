import type { SlotView } from "@/lib/views/service-overview";
import { StatusBadge } from "@/components/ui/status-badge";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { SlotName } from "./status";
import { Since, Time, Until } from "./time";

export function SlotPanel({ slot, readAt, deploying }: { slot: SlotView; readAt: number; deploying: boolean }) {
  const c = slot.container;
  return (
    <Card
      data-testid={`slot-${slot.slot}`}
      className={cn(
        "space-y-3",
        slot.live &&
          (slot.slot === "blue" ? "border-sky-700 ring-1 ring-sky-800" : "border-emerald-700 ring-1 ring-emerald-800"),
      )}
    >
      <div className="flex items-center justify-between gap-2">
        <SlotName slot={slot.slot} className="text-lg" />
        <div className="flex gap-2">
          {slot.live ? <StatusBadge kind="slot" status={`live_${slot.slot}`} /> : null}
          {deploying ? <StatusBadge kind="slot" status="target" /> : null}
          {!slot.live && slot.warmUntil ? <StatusBadge kind="slot" status="warm" /> : null}
          {!slot.live && !slot.warmUntil && !deploying && c ? <StatusBadge kind="slot" status="idle" /> : null}
        </div>
      </div>
      {c ? (
        <dl className="grid grid-cols-[7rem_minmax(0,1fr)] gap-x-3 gap-y-1.5 text-sm">
          <dt className="text-zinc-400">Version</dt>
          <dd className="font-mono text-base text-zinc-50" data-testid="slot-version">
            {c.version ?? "unknown"}
          </dd>
          <dt className="text-zinc-400">Container</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <StatusBadge kind="container" status={c.running ? "running" : "stopped"}>
              {c.state}
            </StatusBadge>
            <span className="truncate font-mono text-xs text-zinc-300" title={c.name}>
              {c.name}
            </span>
          </dd>
          <dt className="text-zinc-400">Up for</dt>
          <dd>
            {c.running && c.startedAt ? (
              <Since from={Date.parse(c.startedAt)} fallbackNow={readAt} />
            ) : (
              <span className="text-zinc-400">not running</span>
            )}
          </dd>
          <dt className="text-zinc-400">Image</dt>
          <dd className="truncate font-mono text-xs text-zinc-300">{c.image}</dd>
          <dt className="text-zinc-400">Port</dt>
          <dd className="font-mono text-xs text-zinc-300">127.0.0.1:{slot.port}</dd>
          {slot.warmUntil && !slot.live ? (
            <>
              <dt className="text-zinc-400">Warm until</dt>
              <dd className="text-violet-200">
                <Time at={slot.warmUntil} /> (in <Until until={slot.warmUntil} fallbackNow={readAt} />
                ), then stopped and removed
              </dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p className="text-sm text-zinc-400">
          No container in this slot (port {slot.port}). The next deployment will start here.
        </p>
      )}
    </Card>
  );
}
