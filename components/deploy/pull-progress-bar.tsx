import type { PullProgress } from "@/lib/docker/pull-progress";

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** The overall percent of a pull as a bar, with bytes done of total and each layer's state underneath. */
export function PullProgressBar({ progress }: { progress: PullProgress }) {
  const { percent, done, total, layers } = progress;
  return (
    <span className="block w-full space-y-1" data-testid="pull-progress" data-percent={percent}>
      <span className="flex items-baseline justify-between gap-2 text-blue-200">
        <span>
          Pulling {progress.image}: {percent}% ({mb(done)} of {mb(total)})
        </span>
        <span className="text-xs text-zinc-400">{layers.length} layer(s)</span>
      </span>
      <span
        className="block h-2 w-full overflow-hidden rounded bg-zinc-800"
        role="progressbar"
        aria-label={`Pulling ${progress.image}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <span className="block h-full bg-blue-500 transition-[width]" style={{ width: `${percent}%` }} />
      </span>
      <span className="flex flex-wrap gap-x-3 text-xs text-zinc-400">
        {layers.map((l) => (
          <span key={l.id} className="font-mono">
            {l.id.slice(0, 12)} {l.status}
            {l.total > 0 ? ` ${mb(l.current)}/${mb(l.total)}` : ""}
          </span>
        ))}
      </span>
    </span>
  );
}
