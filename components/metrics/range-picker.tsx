"use client";

import { useState } from "react";

/** An epoch second as the value of a datetime-local input, in the browser's own time zone. */
function localInput(t: number): string {
  const d = new Date(t * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const utc = (t: number) => `${new Date(t * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** Absolute from/to in local time, each shown in UTC as well; applying one hands the range to the board. */
export function RangePicker({
  from,
  to,
  onApply,
}: {
  from: number;
  to: number;
  onApply: (from: number, to: number) => void;
}) {
  const [open, setOpen] = useState(false);
  const [start, setStart] = useState(localInput(from));
  const [end, setEnd] = useState(localInput(to));
  const [problem, setProblem] = useState<string | null>(null);
  const a = Date.parse(start) / 1000;
  const b = Date.parse(end) / 1000;
  if (!open)
    return (
      <button
        type="button"
        onClick={() => {
          setStart(localInput(from));
          setEnd(localInput(to));
          setOpen(true);
        }}
        className="rounded-md border border-zinc-800 bg-zinc-900 px-2.5 py-1 text-xs text-zinc-300 hover:bg-zinc-800"
      >
        From / to…
      </button>
    );
  return (
    <form
      aria-label="Absolute time range"
      className="flex flex-wrap items-end gap-2 rounded-md border border-zinc-800 bg-zinc-900 p-2 text-xs"
      onSubmit={(e) => {
        e.preventDefault();
        if (!Number.isFinite(a) || !Number.isFinite(b)) return setProblem("Give both a start and an end.");
        if (b <= a) return setProblem("The end must come after the start.");
        setProblem(null);
        setOpen(false);
        onApply(Math.floor(a), Math.ceil(b));
      }}
    >
      {(
        [
          ["From", start, setStart, a],
          ["To", end, setEnd, b],
        ] as const
      ).map(([label, value, set, t]) => (
        <label key={label} className="flex flex-col gap-0.5 text-zinc-400">
          {label} (local time)
          <input
            type="datetime-local"
            name={label.toLowerCase()}
            value={value}
            onChange={(e) => set(e.target.value)}
            className="rounded border border-zinc-700 bg-zinc-950 px-1.5 py-0.5 text-zinc-100"
          />
          <span className="text-zinc-500" data-testid={`range-${label.toLowerCase()}-utc`}>
            {Number.isFinite(t) ? utc(t) : "–"}
          </span>
        </label>
      ))}
      <button type="submit" className="rounded bg-zinc-700 px-2.5 py-1 font-medium text-zinc-50 hover:bg-zinc-600">
        Apply
      </button>
      <button type="button" onClick={() => setOpen(false)} className="px-1.5 py-1 text-zinc-400 hover:text-zinc-100">
        Cancel
      </button>
      {problem ? (
        <p role="alert" className="w-full text-red-300">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
