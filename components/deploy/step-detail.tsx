import type { DeploymentStep } from "@/lib/db/schema";
import { DataTable, type Column } from "@/components/ui/data-table";
import { StatusBadge } from "@/components/ui/status-badge";
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

const CHECK_COLUMNS: Column<Check>[] = [
  { header: "Check", className: "text-zinc-200", cell: (c) => c.label ?? c.id },
  { header: "Result", cell: (c) => <StatusBadge kind="check" status={c.status ?? "?"} /> },
  { header: "Detail", className: "break-words text-zinc-300", cell: (c) => c.detail },
];

const SMOKE_COLUMNS: Column<Smoke>[] = [
  { header: "Test", className: "text-zinc-200", cell: (r) => r.name },
  {
    header: "Request",
    className: "font-mono text-xs text-zinc-300",
    cell: (r) => (
      <>
        {r.method} {r.path}
      </>
    ),
  },
  { header: "Status", className: "font-mono", cell: (r) => r.status ?? "—" },
  {
    header: "Time / budget",
    headerClassName: "text-right",
    className: "text-right tabular-nums text-zinc-300",
    cell: (r) => (
      <>
        {r.ms !== undefined ? `${Math.round(r.ms)} ms` : "—"}
        {r.budgetMs ? ` / ${r.budgetMs} ms` : ""}
      </>
    ),
  },
  {
    header: "Result",
    cell: (r) =>
      r.ok ? (
        <StatusBadge kind="check" status="ok" />
      ) : (
        <StatusBadge kind="check" status="failed">
          {r.reason ?? "failed"}
        </StatusBadge>
      ),
  },
];

/** The step's recorded detail in the shape that reads best: checks, smoke results, logs, or the raw record. */
export function StepDetail({ step }: { step: DeploymentStep }) {
  const detail = step.detail as Record<string, unknown> | null;
  if (!detail) return null;
  if (Array.isArray(detail.checks))
    return (
      <DataTable
        variant="compact"
        columns={CHECK_COLUMNS}
        rows={detail.checks as Check[]}
        rowKey={(c, i) => c.id ?? i}
      />
    );
  const answer = answerOf(detail);
  if (Array.isArray(detail.results))
    return (
      <div className="space-y-2">
        <DataTable
          variant="compact"
          columns={SMOKE_COLUMNS}
          rows={detail.results as Smoke[]}
          rowKey={(r, i) => `${r.name}-${i}`}
        />
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
