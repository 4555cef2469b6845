import type { ReleaseAttachments } from "@/lib/db/schema";
import { ReleaseNotes } from "./release-notes";
import { TestResults } from "./test-results";

/** What the release carried into this deployment: its notes and its own test report. */
export function ReleasePanel({ attachments }: { attachments: ReleaseAttachments | null }) {
  return (
    <section className="space-y-3" data-testid="release-panel">
      <h2 className="text-lg font-semibold">Release</h2>
      {attachments?.testSummary ? (
        <TestResults summary={attachments.testSummary} override={attachments.testFailureOverride} />
      ) : (
        <p className="text-sm text-zinc-400">No test report was attached.</p>
      )}
      {attachments?.notes ? (
        <ReleaseNotes markdown={attachments.notes} />
      ) : (
        <p className="text-sm text-zinc-400">No release notes were attached.</p>
      )}
    </section>
  );
}
