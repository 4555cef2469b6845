"use client";

import { useSyncExternalStore } from "react";
import { cn } from "./cn";

const noSubscription = () => () => {};

/** False while rendering on the server and hydrating, true afterwards: the reader's time zone is known only then. */
function useIsClient(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/** 2026-11-26 14:03:07 UTC */
export function formatUtc(at: number | string): string {
  return `${new Date(at).toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/** 26 Nov 2026, 14:03:07 in the reader's time zone. */
function formatLocal(at: number | string): string {
  return new Date(at).toLocaleString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

/**
 * A moment shown in the reader's time zone, with UTC in the tooltip or (`utc="line"`) on a second line. The server
 * renders UTC, replaced by local time once the browser has hydrated.
 */
export function Time({
  at,
  utc = "title",
  className,
}: {
  at: number | string;
  utc?: "title" | "line";
  className?: string;
}) {
  const client = useIsClient();
  const iso = new Date(at).toISOString();
  const local = client ? formatLocal(at) : formatUtc(at);
  if (utc === "line") {
    return (
      <time dateTime={iso} className={cn("inline-flex flex-col leading-tight", className)} suppressHydrationWarning>
        <span suppressHydrationWarning>{local}</span>
        <span className="text-xs text-zinc-400">{formatUtc(at)}</span>
      </time>
    );
  }
  return (
    <time dateTime={iso} title={formatUtc(at)} className={className} suppressHydrationWarning>
      {local}
    </time>
  );
}
