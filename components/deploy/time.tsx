"use client";

import { formatUtc } from "@/components/ui/time";
import { formatClock, formatDuration } from "./format";
import { useNow } from "./use-now";

/** A clock time in the reader's time zone (the server's rendering is replaced on hydration), UTC in the tooltip. */
export function Time({ at }: { at: number | string }) {
  const now = useNow();
  return (
    <time dateTime={new Date(at).toISOString()} suppressHydrationWarning title={formatUtc(at)}>
      {formatClock(at, now ?? undefined)}
    </time>
  );
}

/** Time elapsed since `from`, ticking; `fallbackNow` keeps server and first client render identical. */
export function Since({ from, fallbackNow }: { from: number; fallbackNow: number }) {
  const now = useNow() ?? fallbackNow;
  return <span className="tabular-nums">{formatDuration(now - from)}</span>;
}

/** Time left until `until`, ticking. */
export function Until({ until, fallbackNow }: { until: number; fallbackNow: number }) {
  const now = useNow() ?? fallbackNow;
  return <span className="tabular-nums">{until > now ? formatDuration(until - now) : "now"}</span>;
}
