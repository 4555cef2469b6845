"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { cn } from "@/components/ui/cn";
import type { MetricsWindow } from "@/lib/metrics/query-window";
import { WINDOW_NAMES } from "@/lib/views/metrics-window-names";

/** The quick windows ending now, kept in the URL (?window=) so a board can be linked as it is seen; none is current while a fixed range is shown. */
export function WindowPicker({ value }: { value: MetricsWindow | null }) {
  const pathname = usePathname();
  const params = useSearchParams();
  const href = (w: MetricsWindow) => {
    const q = new URLSearchParams(params.toString());
    q.set("window", w);
    q.delete("from");
    q.delete("to");
    return `${pathname}?${q.toString()}`;
  };
  return (
    <nav aria-label="Time range" className="inline-flex rounded-md border border-zinc-800 bg-zinc-900 p-0.5">
      {WINDOW_NAMES.map((w) => (
        <Link
          key={w}
          href={href(w)}
          replace
          scroll={false}
          aria-current={w === value ? "true" : undefined}
          className={cn(
            "rounded px-2.5 py-1 text-xs font-medium tabular-nums focus-visible:outline-2 focus-visible:outline-emerald-400",
            w === value ? "bg-zinc-700 text-zinc-50" : "text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100",
          )}
        >
          {w}
        </Link>
      ))}
    </nav>
  );
}
