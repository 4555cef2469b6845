-- What a release carries into its deployment when it is started: its notes (Markdown as given) and the summary of
-- its test report (counts, the slowest and the failing cases as JSON; the raw report is not kept), plus the reason a
-- release manager gave to start it despite failed tests.
CREATE TABLE release_attachments (
  deployment_id TEXT PRIMARY KEY REFERENCES deployments(id) ON DELETE CASCADE,
  notes TEXT CHECK (notes IS NULL OR length(notes) <= 65536),
  test_summary TEXT,
  test_failure_override TEXT CHECK (test_failure_override IS NULL OR length(test_failure_override) BETWEEN 10 AND 500),
  created_at INTEGER NOT NULL
);
