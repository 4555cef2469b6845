import type { ReleaseAttachments } from "@/lib/db/schema";
import { failedCount, failuresSaid } from "./attachments";

export type TestReportVerdict = { status: "pass" | "warn" | "fail" | "skip"; detail: string };

/**
 * Preflight's judgement of the release's own test report: failures block the release unless a release manager
 * started it with a reason, which turns the block into a warning that names the reason.
 */
export function judgeTestReport(a: ReleaseAttachments | null): TestReportVerdict {
  const s = a?.testSummary;
  if (!s) return { status: "skip", detail: "no test report attached" };
  const ran = s.total - s.skipped;
  if (failedCount(s) === 0)
    return { status: "pass", detail: `${s.passed}/${ran} passed${s.skipped ? `, ${s.skipped} skipped` : ""}` };
  if (a.testFailureOverride)
    return { status: "warn", detail: `${failuresSaid(s)}; started anyway: ${a.testFailureOverride}` };
  return { status: "fail", detail: failuresSaid(s) };
}
