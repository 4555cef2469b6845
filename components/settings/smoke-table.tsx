import type { SmokeTest } from "@/lib/config/schema";

const TH = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-400 whitespace-nowrap";

/** Smoke tests as declared; request bodies are not shown (they may carry data meant for the service only). */
export function SmokeTable({ tests }: { tests: SmokeTest[] }) {
  if (tests.length === 0) return <p className="text-sm text-zinc-400">No smoke tests declared.</p>;
  return (
    <div
      className="relative overflow-x-auto rounded-md border border-zinc-800"
      tabIndex={0}
      role="region"
      aria-label="Smoke tests"
    >
      <table className="min-w-full divide-y divide-zinc-800 text-sm">
        <thead className="bg-zinc-900/80">
          <tr>
            {["Name", "Request", "Expect", "Budget", "Read-only", "From version"].map((h) => (
              <th key={h} scope="col" className={TH}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-800/70">
          {tests.map((t) => (
            <tr key={t.name}>
              <td className="px-3 py-2 text-zinc-100">{t.name}</td>
              <td className="px-3 py-2 font-mono text-xs whitespace-nowrap text-zinc-200">
                {t.method} {t.path}
                {t.body !== undefined ? <span className="ml-1 text-zinc-400">(with body)</span> : null}
              </td>
              <td className="px-3 py-2 font-mono text-xs text-zinc-300">{t.expect.join(", ")}</td>
              <td className="px-3 py-2 whitespace-nowrap text-zinc-300">{t.budgetMs} ms</td>
              <td className="px-3 py-2 text-zinc-300">{t.readOnly ? "yes" : "no"}</td>
              <td className="px-3 py-2 text-zinc-300">{t.minVersion ?? "any"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
