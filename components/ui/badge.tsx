import type { HTMLAttributes } from "react";
import { cn } from "./cn";

const TONES = {
  neutral: "border-zinc-700 bg-zinc-800 text-zinc-200",
  green: "border-emerald-700 bg-emerald-950 text-emerald-200",
  blue: "border-sky-700 bg-sky-950 text-sky-200",
  amber: "border-amber-700 bg-amber-950 text-amber-200",
  red: "border-red-700 bg-red-950 text-red-200",
  violet: "border-violet-700 bg-violet-950 text-violet-200",
} as const;

export type BadgeTone = keyof typeof TONES;

export function Badge({
  tone = "neutral",
  className,
  ...props
}: HTMLAttributes<HTMLSpanElement> & { tone?: BadgeTone }) {
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap",
        TONES[tone],
        className,
      )}
      {...props}
    />
  );
}
