import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import type { TestCaseRef, TestReportSummary } from "@/lib/release/junit";

const seconds = (s: number | null) => (s === null ? "–" : s < 10 ? `${s.toFixed(3)} s` : `${s.toFixed(1)} s`);

/** The release's own test report as it was attached: counts, the failing cases and the slowest ones. */
export function TestResults({ summary, override }: { summary: TestReportSummary; override: string | null }) {
  const failed = summary.failed + summary.errors;
  const counts = [
    ["passed", summary.passed],
    ["failed", summary.failed],
    ["errors", summary.errors],
    ["skipped", summary.skipped],
    ["total", summary.total],
  ] as const;
  return (
    <div className="space-y-3" data-testid="test-results">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Badge tone={failed === 0 ? "green" : "red"}>{failed === 0 ? "all passed" : `${failed} failed`}</Badge>
        {counts.map(([label, n]) => (
          <span key={label} className="text-zinc-300" data-testid={`tests-${label}`}>
            <span className="font-semibold tabular-nums text-zinc-100">{n}</span> {label}
          </span>
        ))}
        <span className="text-zinc-400">
          · {summary.suites} suite(s) · {seconds(summary.timeSeconds)}
        </span>
      </div>
      {override ? (
        <p className="text-sm text-amber-200" data-testid="test-override">
          Started despite failed tests: {override}
        </p>
      ) : null}
      {summary.failures.length > 0 ? (
        <ul className="space-y-1 text-sm" aria-label="Failing tests">
          {summary.failures.map((f) => (
            <li key={`${f.classname}.${f.name}`} className="text-red-200">
              <span className="font-mono">{f.classname ? `${f.classname}.${f.name}` : f.name}</span>
              {f.message ? <span className="text-zinc-400"> · {f.message}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {summary.slowest.length > 0 ? (
        <DataTable<TestCaseRef>
          label="Slowest tests"
          testId="slowest-tests"
          variant="compact"
          rowKey={(c, i) => `${i}-${c.name}`}
          rows={summary.slowest}
          columns={[
            { header: "Slowest tests", cell: (c) => <span className="font-mono">{c.name}</span> },
            { header: "Class", cell: (c) => <span className="font-mono text-zinc-400">{c.classname ?? "–"}</span> },
            { header: "Time", cell: (c) => seconds(c.timeSeconds), className: "tabular-nums text-right" },
          ]}
        />
      ) : null}
    </div>
  );
}
