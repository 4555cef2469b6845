import type { SuccessReport } from "@/lib/metrics/success-report";
import type { TestReportSummary } from "@/lib/release/junit";

export type CriterionStatus = "met" | "not_met" | "no_data";

/** One line of the success report: what the seed asks for, what Greenlight measured, and the verdict. */
export type ReportRow = {
  item: string;
  criterion: string;
  measured: string;
  value: number | null;
  status: CriterionStatus;
};

/** The seed's success criteria (deployment plan, section "Success criteria"). */
export const CRITERIA = {
  deploymentSeconds: 15 * 60,
  downtimeFailedRequests: 0,
  timeToHealthySeconds: 300,
  errorRatePercent: 0.1,
  avgMs: 500,
  p95Ms: 1000,
  peakMemoryMb: 200,
  userImpact5xx: 0,
} as const;

const round = (n: number, digits = 0) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export function formatSeconds(s: number): string {
  if (s < 60) return `${round(s, 1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

const below = (value: number | null, limit: number): CriterionStatus =>
  value === null ? "no_data" : value < limit ? "met" : "not_met";
const atMost = (value: number | null, limit: number): CriterionStatus =>
  value === null ? "no_data" : value <= limit ? "met" : "not_met";

/** The share of the tests that ran which passed, never rounded up to 100 while one failed. */
function testPassRow(tests: TestReportSummary | null | undefined): ReportRow {
  const row = { item: "Test pass rate", criterion: "100% of the release's tests" };
  if (!tests) return { ...row, measured: "no test report attached", value: null, status: "no_data" };
  const ran = tests.total - tests.skipped;
  const percent = ran === 0 ? 0 : Math.floor((tests.passed / ran) * 1000) / 10;
  const skipped = tests.skipped ? `, ${tests.skipped} skipped` : "";
  return {
    ...row,
    measured: ran === 0 ? `no test ran (${tests.skipped} skipped)` : `${percent} % (${tests.passed}/${ran})${skipped}`,
    value: ran === 0 ? null : percent,
    status: ran === 0 ? "no_data" : tests.passed === ran ? "met" : "not_met",
  };
}

/**
 * The report table, row by row; a figure that could not be measured (no traffic after the switch, no test report
 * attached) is "no data", never met.
 */
export function successReportRows(
  r: SuccessReport,
  opts: { switched: boolean; tests?: TestReportSummary | null },
): ReportRow[] {
  const afterSwitch = opts.switched ? null : "never switched";
  return [
    testPassRow(opts.tests),
    {
      item: "Deployment time",
      criterion: `< ${CRITERIA.deploymentSeconds / 60} min`,
      measured: formatSeconds(r.deploymentSeconds),
      value: r.deploymentSeconds,
      status: below(r.deploymentSeconds, CRITERIA.deploymentSeconds),
    },
    {
      item: "Downtime",
      criterion: "0 failed requests during the switch",
      measured: afterSwitch ?? `${r.downtime.failedRequests} failed requests in ${r.downtime.seconds} s`,
      value: opts.switched ? r.downtime.failedRequests : null,
      status: opts.switched ? atMost(r.downtime.failedRequests, CRITERIA.downtimeFailedRequests) : "no_data",
    },
    {
      item: "Health check",
      criterion: `healthy < ${CRITERIA.timeToHealthySeconds} s`,
      measured: r.timeToHealthySeconds === null ? "never healthy" : formatSeconds(r.timeToHealthySeconds),
      value: r.timeToHealthySeconds,
      status:
        r.timeToHealthySeconds === null ? "not_met" : below(r.timeToHealthySeconds, CRITERIA.timeToHealthySeconds),
    },
    {
      item: "Smoke tests",
      criterion: "all pass",
      measured: r.smoke.total === 0 ? "none ran" : `${r.smoke.passed}/${r.smoke.total} passed`,
      value: r.smoke.total === 0 ? null : r.smoke.passed,
      status: r.smoke.total === 0 ? "no_data" : r.smoke.allPassed ? "met" : "not_met",
    },
    {
      item: "Error rate",
      criterion: `< ${CRITERIA.errorRatePercent}%`,
      measured:
        afterSwitch ??
        (r.errorRatePercent === null
          ? "no requests after the switch"
          : `${round(r.errorRatePercent, 3)}% of ${r.requestsAfterSwitch} requests`),
      value: r.errorRatePercent,
      status: below(r.errorRatePercent, CRITERIA.errorRatePercent),
    },
    {
      item: "Response time (average)",
      criterion: `< ${CRITERIA.avgMs} ms`,
      measured: afterSwitch ?? (r.avgMs === null ? "no requests after the switch" : `${round(r.avgMs, 1)} ms`),
      value: r.avgMs,
      status: below(r.avgMs, CRITERIA.avgMs),
    },
    {
      item: "Response time (P95)",
      criterion: `< ${CRITERIA.p95Ms} ms`,
      measured: afterSwitch ?? (r.p95Ms === null ? "no requests after the switch" : `${round(r.p95Ms, 1)} ms`),
      value: r.p95Ms,
      status: below(r.p95Ms, CRITERIA.p95Ms),
    },
    {
      item: "Memory (peak)",
      criterion: `< ${CRITERIA.peakMemoryMb} MB`,
      measured: r.peakMemoryMb === null ? "no samples" : `${round(r.peakMemoryMb, 1)} MB`,
      value: r.peakMemoryMb,
      status: below(r.peakMemoryMb, CRITERIA.peakMemoryMb),
    },
    {
      item: "User impact",
      criterion: "0 server errors (5xx) after the switch",
      measured: afterSwitch ?? `${r.userImpact.errors5xxAfterSwitch} × 5xx`,
      value: opts.switched ? r.userImpact.errors5xxAfterSwitch : null,
      status: opts.switched ? atMost(r.userImpact.errors5xxAfterSwitch, CRITERIA.userImpact5xx) : "no_data",
    },
  ];
}

export const STATUS_LABEL: Record<CriterionStatus, string> = { met: "met", not_met: "not met", no_data: "no data" };
