import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { releaseAttachments, type ReleaseAttachments } from "@/lib/db/schema";
import { ValidationError } from "@/lib/errors";
import { caseLabel, parseJUnit, TestReportError, type TestReportSummary } from "./junit";
import { MAX_NOTES_CHARS } from "./limits";

/** The fields a start accepts beside the release: the same in the API, the console and the engine's verb. */
export const releaseAttachmentFields = {
  notes: z
    .string()
    .max(MAX_NOTES_CHARS, `release notes are at most ${MAX_NOTES_CHARS} characters of Markdown`)
    .optional(),
  /** JUnit XML as the test run wrote it; parsed here, only its summary is kept. */
  testReport: z.string().optional(),
  testFailureOverride: z
    .string()
    .trim()
    .min(10, "say in at least 10 characters why the release may go out with failed tests")
    .max(500, "an override reason is at most 500 characters")
    .optional(),
};

export type ReleaseAttachmentInput = {
  notes?: string;
  testReport?: string;
  testFailureOverride?: string;
};

export type PreparedAttachments = {
  notes: string | null;
  testSummary: TestReportSummary | null;
  testFailureOverride: string | null;
};

export const failedCount = (s: TestReportSummary): number => s.failed + s.errors;

/** Parses what was attached before anything is recorded; a bad report is a ValidationError naming what is wrong. */
export function prepareAttachments(input: ReleaseAttachmentInput): PreparedAttachments | null {
  const notes = input.notes?.trim() ? input.notes : null;
  let testSummary: TestReportSummary | null = null;
  if (input.testReport !== undefined) {
    try {
      testSummary = parseJUnit(input.testReport);
    } catch (error) {
      if (error instanceof TestReportError) throw new ValidationError(`testReport: ${error.message}`);
      throw error;
    }
  }
  const override = input.testFailureOverride ?? null;
  if (override !== null && (testSummary === null || failedCount(testSummary) === 0))
    throw new ValidationError(
      "testFailureOverride: only a release whose attached test report has failures needs an override.",
    );
  if (notes === null && testSummary === null) return null;
  return { notes, testSummary, testFailureOverride: override };
}

/** Inside the start's transaction. */
export function saveAttachments(db: Db, deploymentId: string, a: PreparedAttachments, now: number): void {
  const { notes, testSummary, testFailureOverride } = a;
  db.insert(releaseAttachments).values({ deploymentId, notes, testSummary, testFailureOverride, createdAt: now }).run();
}

export function readAttachments(db: Db, deploymentId: string): ReleaseAttachments | null {
  return db.select().from(releaseAttachments).where(eq(releaseAttachments.deploymentId, deploymentId)).get() ?? null;
}

/** What the start's audit row says about the attachments: counts, never the notes' text. */
export function attachmentsAudit(a: PreparedAttachments | null): Record<string, unknown> {
  if (!a) return {};
  const s = a.testSummary;
  return {
    ...(a.notes !== null && { notesChars: a.notes.length }),
    ...(s && {
      testReport: { total: s.total, passed: s.passed, failed: s.failed, errors: s.errors, skipped: s.skipped },
    }),
    ...(a.testFailureOverride !== null && { testFailureOverride: a.testFailureOverride }),
  };
}

/** "3 failed: a.b, c.d and 1 more" from the kept failing cases. */
export function failuresSaid(s: TestReportSummary, shown = 3): string {
  const names = s.failures.slice(0, shown).map(caseLabel);
  const more = failedCount(s) - names.length;
  return `${failedCount(s)} of ${s.total} tests failed: ${names.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}
