import type { DeploymentStep } from "@/lib/db/schema";
import { Badge } from "@/components/ui/badge";
import { answerOf } from "@/lib/deploy/failure-kinds";
import { AppAnswerView } from "./app-answer-view";

type Check = { id?: string; label?: string; status?: string; detail?: string };
type Smoke = {
  name?: string;
  method?: string;
  path?: string;
  status?: number | null;
  ms?: number;
  budgetMs?: number;
  ok?: boolean;
  reason?: string | null;
};

const tone = (status: string | undefined) =>
  status === "passed" || status === "ok"
    ? "green"
    : status === "warning"
      ? "amber"
      : status === "failed"
        ? "red"
        : "neutral";

function ChecksTable({ checks }: { checks: Check[] }) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-xs text-zinc-400 uppercase">
        <tr>
          <th className="py-1 pr-3 font-medium">Check</th>
          <th className="py-1 pr-3 font-medium">Result</th>
          <th className="py-1 font-medium">Detail</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-800">
        {checks.map((c, i) => (
          <tr key={c.id ?? i}>
            <td className="py-1.5 pr-3 text-zinc-200">{c.label ?? c.id}</td>
            <td className="py-1.5 pr-3">
              <Badge tone={tone(c.status)}>{c.status ?? "?"}</Badge>
            </td>
            <td className="py-1.5 break-words text-zinc-300">{c.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SmokeTable({ results }: { results: Smoke[] }) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-xs text-zinc-400 uppercase">
        <tr>
          <th className="py-1 pr-3 font-medium">Test</th>
          <th className="py-1 pr-3 font-medium">Request</th>
          <th className="py-1 pr-3 font-medium">Status</th>
          <th className="py-1 pr-3 text-right font-medium">Time / budget</th>
          <th className="py-1 font-medium">Result</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-800">
        {results.map((r, i) => (
          <tr key={`${r.name}-${i}`}>
            <td className="py-1.5 pr-3 text-zinc-200">{r.name}</td>
            <td className="py-1.5 pr-3 font-mono text-xs text-zinc-300">
              {r.method} {r.path}
            </td>
            <td className="py-1.5 pr-3 font-mono">{r.status ?? "—"}</td>
            <td className="py-1.5 pr-3 text-right tabular-nums text-zinc-300">
              {r.ms !== undefined ? `${Math.round(r.ms)} ms` : "—"}
              {r.budgetMs ? ` / ${r.budgetMs} ms` : ""}
            </td>
            <td className="py-1.5">
              {r.ok ? <Badge tone="green">ok</Badge> : <Badge tone="red">{r.reason ?? "failed"}</Badge>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The step's recorded detail in the shape that reads best: checks, smoke results, logs, or the raw record. */
export function StepDetail({ step }: { step: DeploymentStep }) {
  const detail = step.detail as Record<string, unknown> | null;
  if (!detail) return null;
  if (Array.isArray(detail.checks)) return <ChecksTable checks={detail.checks as Check[]} />;
  const answer = answerOf(detail);
  if (Array.isArray(detail.results))
    return (
      <div className="space-y-2">
        <SmokeTable results={detail.results as Smoke[]} />
        {answer ? <AppAnswerView answer={answer} /> : null}
      </div>
    );
  const { logs, answer: _answer, ...rest } = detail;
  return (
    <div className="space-y-2">
      {answer ? <AppAnswerView answer={answer} /> : null}
      {Object.keys(rest).length > 0 ? (
        <pre className="overflow-x-auto rounded bg-zinc-950 p-3 text-xs text-zinc-300">
          {JSON.stringify(rest, null, 2)}
        </pre>
      ) : null}
      {typeof logs === "string" && logs ? (
        <>
          <p className="text-xs text-zinc-400">Target logs kept at this step</p>
          <pre className="max-h-80 overflow-auto rounded bg-zinc-950 p-3 text-xs leading-5 text-zinc-300">{logs}</pre>
        </>
      ) : null}
    </div>
  );
}

export const hasDetail = (step: DeploymentStep) =>
  step.detail !== null && typeof step.detail === "object" && Object.keys(step.detail).length > 0;
