import type { ReleaseAttachments } from "@/lib/db/schema";
import type { OciLabels } from "@/lib/release/oci-labels";
import { ImageLabels } from "./image-labels";
import { ReleaseNotes } from "./release-notes";
import { TestResults } from "./test-results";

/** What the release carried into this deployment: its image's OCI annotations, its notes and its own test report. */
export function ReleasePanel({
  attachments,
  labels = null,
  version = "",
}: {
  attachments: ReleaseAttachments | null;
  labels?: OciLabels | null;
  version?: string;
}) {
  return (
    <section className="space-y-3" data-testid="release-panel">
      <h2 className="text-lg font-semibold">Release</h2>
      {labels ? <ImageLabels labels={labels} version={version} /> : null}
      <div className="space-y-2">
        <h3 className="text-sm font-semibold text-zinc-300">Test report</h3>
        {attachments?.testSummary ? (
          <TestResults summary={attachments.testSummary} override={attachments.testFailureOverride} />
        ) : (
          <p className="text-sm text-zinc-400">No test report was attached.</p>
        )}
      </div>
      <div className="space-y-2">
        <h3 className="text-sm font-semibold text-zinc-300">Release notes</h3>
        {attachments?.notes ? (
          <ReleaseNotes markdown={attachments.notes} />
        ) : (
          <p className="text-sm text-zinc-400">No release notes were attached.</p>
        )}
      </div>
    </section>
  );
}
