import type { AlertView } from "@/lib/alerts/view";
import { SlotName } from "@/components/deploy/status";
import { Since } from "@/components/deploy/time";
import { StatusBadge } from "@/components/ui/status-badge";

const shown = (a: AlertView) => (a.state === "firing" && a.silence && !a.paged ? "silenced" : a.state);
const figure = (a: AlertView) =>
  a.value === null ? null : `${Math.round(a.value * 100) / 100}${a.unit.startsWith("/") ? "" : " "}${a.unit}`;

/** One line per alert rule: its state, the figure that put it there, since when, and the silence covering it. */
export function AlertRows({ alerts, now }: { alerts: readonly AlertView[]; now: number }) {
  return (
    <ul className="space-y-1.5 text-sm">
      {alerts.map((a) => (
        <li
          key={a.rule}
          data-testid={`alert-${a.rule}`}
          data-state={a.state}
          className="flex flex-wrap items-center gap-x-2 gap-y-1"
        >
          <StatusBadge kind="alert" status={shown(a)} />
          <span className="font-mono text-zinc-100">{a.rule}</span>
          <span className="text-zinc-400">{a.condition}</span>
          {a.state !== "inactive" && a.slot ? (
            <span className="flex items-center gap-1 text-zinc-300">
              on <SlotName slot={a.slot} />
              {a.state === "firing" || a.state === "pending" ? <span>at {figure(a) ?? "n/a"}</span> : null}
              {a.since ? (
                <span>
                  · {a.state === "resolved" ? "resolved" : "for"} <Since from={a.since} fallbackNow={now} />
                  {a.state === "resolved" ? " ago" : null}
                </span>
              ) : null}
            </span>
          ) : null}
          {a.silence ? (
            <span className="text-violet-300" data-testid={`alert-${a.rule}-silence`}>
              silenced by {a.silence.by} until {new Date(a.silence.until).toISOString().slice(11, 16)} UTC:{" "}
              {a.silence.reason}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
