"use client";

import { useState } from "react";
import { ErrorText } from "@/components/ui/alert";
import { Label, TextField } from "@/components/ui/input";
import { MAX_NOTES_CHARS, MAX_TEST_REPORT_BYTES } from "@/lib/release/limits";

/** What the start form sends beside the release; `problem` (a file that cannot be sent) keeps the form from sending. */
export type ReleaseAttachmentValue = {
  notes?: string;
  testReport?: string;
  testFailureOverride?: string;
  problem?: string;
};

const FILE =
  "block w-full text-sm text-zinc-300 file:mr-3 file:rounded-md file:border file:border-zinc-700 file:bg-zinc-800 file:px-3 file:py-1.5 file:text-zinc-100";

/** Release notes (typed, pasted or loaded from a file) and the release's JUnit report, read in the browser. */
export function ReleaseAttachmentFields({
  id,
  value,
  onChange,
}: {
  id: string;
  value: ReleaseAttachmentValue;
  onChange: (next: ReleaseAttachmentValue) => void;
}) {
  const [reportName, setReportName] = useState<string | null>(null);
  const set = (patch: Partial<ReleaseAttachmentValue>) => onChange({ ...value, ...patch });
  const read = async (file: File | undefined, max: number, what: string): Promise<string | undefined> => {
    if (!file) return undefined;
    if (file.size > max) throw new Error(`${what} ${file.name} is ${file.size} bytes; at most ${max} are accepted.`);
    return file.text();
  };
  return (
    <fieldset className="space-y-3 rounded-md border border-zinc-800 p-3">
      <legend className="px-1 text-sm font-medium text-zinc-300">Release notes and test report (optional)</legend>
      <div className="space-y-1.5">
        <Label htmlFor={`${id}-notes`}>Release notes (Markdown)</Label>
        <textarea
          id={`${id}-notes`}
          value={value.notes ?? ""}
          maxLength={MAX_NOTES_CHARS}
          rows={4}
          onChange={(e) => set({ notes: e.target.value || undefined })}
          className="block w-full rounded-md border border-zinc-700 bg-zinc-900 px-3 py-2 font-mono text-sm text-zinc-100"
        />
        <input
          type="file"
          aria-label="Load release notes from a file"
          accept=".md,.markdown,.txt,text/markdown,text/plain"
          className={FILE}
          onChange={(e) =>
            read(e.target.files?.[0], MAX_NOTES_CHARS, "Notes file").then(
              (notes) => set({ notes, problem: undefined }),
              (error: Error) => set({ problem: error.message }),
            )
          }
        />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor={`${id}-report`}>Test report (JUnit XML)</Label>
        <input
          id={`${id}-report`}
          type="file"
          accept=".xml,application/xml,text/xml"
          className={FILE}
          onChange={(e) => {
            const file = e.target.files?.[0];
            setReportName(file?.name ?? null);
            read(file, MAX_TEST_REPORT_BYTES, "Test report").then(
              (testReport) => set({ testReport, problem: undefined }),
              (error: Error) => set({ testReport: undefined, problem: error.message }),
            );
          }}
        />
        {reportName && value.testReport !== undefined ? (
          <p className="text-xs text-zinc-400">{reportName} is checked by Greenlight when the deployment starts.</p>
        ) : null}
      </div>
      {value.testReport !== undefined ? (
        <TextField
          id={`${id}-override`}
          label="If the report has failed tests: why start anyway (audited)"
          value={value.testFailureOverride ?? ""}
          maxLength={500}
          onChange={(e) => set({ testFailureOverride: e.target.value.trim() ? e.target.value : undefined })}
          placeholder="Leave empty to let preflight block a release whose tests failed"
        />
      ) : null}
      {value.problem ? <ErrorText>{value.problem}</ErrorText> : null}
    </fieldset>
  );
}
